// 责任清单 unit filter (docs/theme.md, "Filter"): a select that shows only the tasks, and
// the matrix column, of one unit. The script builds the control itself, so readers without
// JavaScript never see a dead one; they have the page's list of links to unit pages.
// Markup it reads: sections [data-group] holding table.matrix; header cells th[data-unit]
// (slug, name as text); rows tr[data-units="slug slug..."]; rows with data-all (各成员单位)
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

  function concerns(row, slug) {
    return row.hasAttribute('data-all') ||
      row.getAttribute('data-units').split(' ').indexOf(slug) >= 0;
  }

  function apply() {
    var slug = select.value;
    var shown = 0;
    groups.forEach(function (group) {
      var any = false;
      group.querySelectorAll('tr[data-units]').forEach(function (row) {
        var visible = slug === '' || concerns(row, slug);
        show(row, visible);
        if (visible) {
          any = true;
          shown += 1;
        }
      });
      group.querySelectorAll('[data-unit]').forEach(function (cell) {
        show(cell, slug === '' || cell.getAttribute('data-unit') === slug);
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
