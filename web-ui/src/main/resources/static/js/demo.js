// The demo shop's own behaviour (kept out of the page: the Content-Security-Policy allows no inline script).
(function () {
  'use strict';
  // The embedding site's own button opens the same chat (the widget's small page API).
  document.getElementById('abrir-chat').addEventListener('click', function () {
    if (window.SoporteMax) {
      window.SoporteMax.open();
    }
  });
  // A shop that feels like one: the cart counts what is added (nothing is sold).
  document.querySelectorAll('.product .btn').forEach(function (button) {
    button.addEventListener('click', function () {
      var count = document.querySelector('.cart-count');
      var items = Number(count.textContent) + 1;
      count.textContent = String(items);
      document.querySelector('.cart').setAttribute('aria-label', 'Carrito, ' + items + ' productos');
      button.textContent = 'Añadido ✓';
    });
  });
})();
