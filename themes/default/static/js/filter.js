// 责任清单 unit filter: shows only the tasks (and the matrix column) of the chosen unit.
// Without JavaScript the form stays hidden and the page offers links to every unit page.
// Rows carry data-units="slug slug..."; rows with data-all (各成员单位) concern every unit.
// The choice is kept in the address (?unit=slug) so a filtered view can be shared.
(function () {
  'use strict';
  var form = document.querySelector('form.unit-filter');
  if (!form) {
    return;
  }
  var select = form.querySelector('select');
  var status = form.querySelector('.filter-status');
  form.hidden = false;

  function concerns(el, slug) {
    return el.hasAttribute('data-all') ||
      el.getAttribute('data-units').split(' ').indexOf(slug) >= 0;
  }

  function apply() {
    var slug = select.value;
    var shown = 0;
    document.querySelectorAll('.matrix tr[data-units]').forEach(function (row) {
      row.hidden = slug !== '' && !concerns(row, slug);
      if (!row.hidden) {
        shown += 1;
      }
    });
    document.querySelectorAll('.task-list li[data-units]').forEach(function (item) {
      item.hidden = slug !== '' && !concerns(item, slug);
    });
    document.querySelectorAll('.matrix [data-unit]').forEach(function (cell) {
      cell.hidden = slug !== '' && cell.getAttribute('data-unit') !== slug;
    });
    document.querySelectorAll('[data-group]').forEach(function (group) {
      group.hidden = group.querySelector('[data-units]:not([hidden])') === null;
    });
    if (status) {
      status.textContent = slug === '' ? '' :
        select.options[select.selectedIndex].text + '：共 ' + shown + ' 项任务';
    }
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
  form.addEventListener('submit', function (event) {
    event.preventDefault();
  });

  var wanted = new URLSearchParams(window.location.search).get('unit');
  if (wanted && select.querySelector('option[value="' + wanted.replace(/[^a-z0-9-]/g, '') + '"]')) {
    select.value = wanted;
  }
  apply();
}());
