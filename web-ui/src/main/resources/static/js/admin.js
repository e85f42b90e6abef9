// Shared behaviour of the admin and agent pages (templates/layout.html).
(function () {
  'use strict';

  // Spring Security checks the CSRF token on form pages; htmx requests carry it as a header.
  document.addEventListener('htmx:configRequest', function (event) {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      event.detail.headers[header.content] = token.content;
    }
  });

  // A polled fragment answered by the login page means the session expired: show the login page itself
  // instead of swapping it into a table.
  document.addEventListener('htmx:beforeSwap', function (event) {
    var url = event.detail.xhr && event.detail.xhr.responseURL;
    if (url && new URL(url).pathname === '/login') {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });

  // Forms that need a second thought carry data-confirm (no inline handlers: the CSP allows only script files).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // The nav marks the section of the current page, so pages pass nothing for it.
  document.addEventListener('DOMContentLoaded', function () {
    var path = window.location.pathname;
    var best = null;
    document.querySelectorAll('.nav-links a[data-section]').forEach(function (link) {
      var section = link.getAttribute('data-section');
      if ((path === section || path.indexOf(section + '/') === 0)
          && (!best || section.length > best.getAttribute('data-section').length)) {
        best = link;
      }
    });
    if (best) {
      best.setAttribute('aria-current', 'page');
    }
  });
})();
