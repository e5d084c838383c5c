// 责任清单 unit filter (docs/theme.md, "Filter"): a select that shows only the tasks, and
// the matrix column, of one unit. The script builds the control itself, so readers without
// JavaScript never see a dead one; they have the page's list of links to unit pages.
// Markup it reads: sections [data-group] holding table.matrix; header cells th[data-unit]
// (slug, name as text; a unit's cells are the ones in its header cell's column); rows with data-all (各成员单位)
// concern every unit. Elements are hidden with style.display, which the theme's display
// rules for tables on phones cannot override. The choice is kept in the address
// (?unit=slug) so a filtered view can be shared.
(function () {
  'use strict';
  var groups = document.querySelectorAll('[data-group]');
  var heads = document.querySelectorAll('.matrix thead th[data-unit]');
  if (groups.length === 0 || heads.length === 0) {
    return;
  }

  var box = document.createElement('div');
  box.className = 'filter no-print';
  var label = document.createElement('label');
  label.htmlFor = 'unit-filter';
  label.textContent = '按单位筛选';
  var select = document.createElement('select');
  select.id = 'unit-filter';
  select.add(new Option('全部单位', ''));
  var seen = Object.create(null);
  heads.forEach(function (th) {
    var slug = th.getAttribute('data-unit');
    if (!seen[slug]) {
      seen[slug] = true;
      select.add(new Option(th.textContent, slug));
    }
  });
  var status = document.createElement('p');
  status.className = 'filter-status';
  status.setAttribute('role', 'status');
  box.append(label, select, status);
  groups[0].parentNode.insertBefore(box, groups[0]);

  function show(el, visible) {
    el.style.display = visible ? '' : 'none';
  }

  // A row concerns the unit when its cell in the unit's column is marked (牵头 or 参与),
  // or when it is meant for every unit (data-all, 各成员单位).
  function concerns(row, keep) {
    return row.hasAttribute('data-all') ||
      (keep >= 0 && row.children[keep].textContent !== '');
  }

  function apply() {
    var slug = select.value;
    var shown = 0;
    groups.forEach(function (group) {
      var any = false;
      group.querySelectorAll('table.matrix').forEach(function (table) {
        // The unit's column: the header cell that names it. Every row keeps its first
        // cell (the task) and that column.
        var keep = -1;
        table.querySelectorAll('thead th').forEach(function (th, i) {
          if (th.getAttribute('data-unit') === slug) {
            keep = i;
          }
        });
        table.querySelectorAll('tbody tr').forEach(function (row) {
          var visible = slug === '' || concerns(row, keep);
          show(row, visible);
          if (visible) {
            any = true;
            shown += 1;
          }
        });
        table.querySelectorAll('tr').forEach(function (tr) {
          Array.prototype.forEach.call(tr.children, function (cell, i) {
            show(cell, slug === '' || i === 0 || i === keep);
          });
        });
      });
      show(group, any);
    });
    status.textContent = slug === '' ? '' :
      select.options[select.selectedIndex].text + '：共' + shown + '项任务';
  }

  select.addEventListener('change', function () {
    var url = new URL(window.location.href);
    if (select.value === '') {
      url.searchParams.delete('unit');
    } else {
      url.searchParams.set('unit', select.value);
    }
    window.history.replaceState(null, '', url);
    apply();
  });

  var wanted = new URLSearchParams(window.location.search).get('unit');
  if (wanted && seen[wanted]) {
    select.value = wanted;
  }
  apply();
}());
