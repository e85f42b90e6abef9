// Keyboard-driven transcript review (templates/transcripts/detail.html):
// j / k next / previous answer, g good, b bad, u unsafe, c write a correction, a approve, r reject,
// n the next conversation awaiting review.
(function () {
  'use strict';

  function answers() {
    return Array.prototype.slice.call(document.querySelectorAll('article.entry[data-reviewable="true"]'));
  }

  var current = -1;

  function select(index) {
    var list = answers();
    if (!list.length) {
      return;
    }
    current = Math.max(0, Math.min(list.length - 1, index));
    list.forEach(function (entry) { entry.classList.remove('entry-current'); });
    var entry = list[current];
    entry.classList.add('entry-current');
    entry.focus({preventScroll: true});
    entry.scrollIntoView({block: 'center'});
  }

  function currentEntry() {
    var list = answers();
    return current >= 0 && current < list.length ? list[current] : null;
  }

  function label(value) {
    var entry = currentEntry();
    if (!entry) {
      select(0);
      entry = currentEntry();
    }
    var button = entry && entry.querySelector('button[data-label="' + value + '"]');
    if (button) {
      button.click();
    }
  }

  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey
        || (target && (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT' || target.tagName === 'SELECT'))) {
      if (event.key === 'Escape' && target && target.blur) {
        target.blur();
        var entry = currentEntry();
        if (entry) {
          entry.focus({preventScroll: true});
        }
      }
      return;
    }
    switch (event.key) {
      case 'j': select(current + 1); break;
      case 'k': select(current - 1); break;
      case 'g': label('good'); break;
      case 'b': label('bad'); break;
      case 'u': label('unsafe'); break;
      case 'c': {
        var entry = currentEntry();
        var box = entry && entry.querySelector('textarea[name="correctedText"]');
        if (box) {
          box.focus();
        }
        break;
      }
      case 'a': document.getElementById('approve') && document.getElementById('approve').click(); break;
      case 'r': document.getElementById('reject') && document.getElementById('reject').click(); break;
      case 'n': document.getElementById('next-pending') && document.getElementById('next-pending').click(); break;
      default: return;
    }
    event.preventDefault();
  });

  // Clicking into an answer makes it the current one, so the keys act on what the admin is looking at.
  document.addEventListener('click', function (event) {
    var entry = event.target.closest && event.target.closest('article.entry[data-reviewable="true"]');
    if (entry) {
      current = answers().indexOf(entry);
      answers().forEach(function (other) { other.classList.toggle('entry-current', other === entry); });
    }
  });
})();
