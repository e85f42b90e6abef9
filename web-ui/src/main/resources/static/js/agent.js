// The agents' console: follows the agents' event stream (/agent/events, server-sent events) and fetches the
// fragment that changed; never polls. Also: SLA timers, new-ticket notifications, the reply box's shortcuts and a
// draft kept in the browser so that a session expiry loses nothing.
(function () {
  'use strict';

  var main = document.querySelector('main[data-agent-page]');
  if (!main) {
    return;
  }
  var page = main.getAttribute('data-agent-page');
  var conversationId = main.getAttribute('data-conversation');

  function csrfHeaders() {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    var headers = {'X-Requested-With': 'XMLHttpRequest'};
    if (token && header) {
      headers[header.content] = token.content;
    }
    return headers;
  }

  // A fragment answered by the sign-in page means the session expired: reload, so that signing in comes back here.
  function refresh(selector) {
    var target = document.querySelector(selector);
    if (!target) {
      return Promise.resolve();
    }
    return fetch(target.getAttribute('data-fragment'), {headers: csrfHeaders(), credentials: 'same-origin'})
        .then(function (response) {
          if (new URL(response.url).pathname === '/login' || !response.ok) {
            window.location.reload();
            return;
          }
          return response.text().then(function (html) {
            var holder = document.createElement('div');
            holder.innerHTML = html;
            var fresh = holder.querySelector(selector) || holder.firstElementChild;
            if (target.id === 'queue') {
              target.innerHTML = '';
              target.appendChild(fresh);
            } else {
              target.replaceWith(fresh);
            }
            localTimes(document);
            tickSla();
          });
        });
  }

  function localTimes(root) {
    root.querySelectorAll('time.local-time[datetime]').forEach(function (time) {
      var at = new Date(time.getAttribute('datetime'));
      if (!isNaN(at.getTime())) {
        time.textContent = at.toLocaleString(document.documentElement.lang || undefined,
            {day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit'});
      }
    });
  }

  // ---------------------------------------------------------------- live events

  var source = null;

  function connect() {
    var url = '/agent/events' + (conversationId ? '?conversation=' + encodeURIComponent(conversationId) : '');
    source = new EventSource(url);
    source.addEventListener('open', function () {
      main.setAttribute('data-live', 'connected');
    });
    source.addEventListener('queue', function (event) {
      var data = JSON.parse(event.data);
      if (page === 'queue') {
        refresh('#queue');
        if (data.change === 'new') {
          announceNewTicket();
        }
      } else if (data.conversationId === conversationId && data.change !== 'new') {
        refresh('#transcript');
      }
    });
    ['message', 'desk'].forEach(function (name) {
      source.addEventListener(name, function (event) {
        if (JSON.parse(event.data).conversationId === conversationId) {
          refresh('#transcript');
        }
      });
    });
    source.addEventListener('state', function (event) {
      var data = JSON.parse(event.data);
      var transcript = document.getElementById('transcript');
      if (data.conversationId === conversationId && transcript
          && transcript.getAttribute('data-state') !== data.state) {
        window.location.reload();
      }
    });
    source.addEventListener('error', function () {
      // The browser retries by itself while the stream is only interrupted; a closed one was refused (signed out).
      if (source.readyState === EventSource.CLOSED) {
        window.location.reload();
      }
    });
  }

  // ---------------------------------------------------------------- queue: SLA timers and announcements

  function tickSla() {
    var list = document.querySelector('[data-sla-seconds]');
    if (!list) {
      return;
    }
    var sla = Number(list.getAttribute('data-sla-seconds')) * 1000;
    var spanish = (document.documentElement.lang || 'es') !== 'en';
    list.querySelectorAll('.ticket[data-since]').forEach(function (ticket) {
      var waited = Date.now() - new Date(ticket.getAttribute('data-since')).getTime();
      var minutes = Math.floor(waited / 60000);
      var waiting = ticket.querySelector('.waiting');
      if (waiting) {
        waiting.textContent = minutes < 1 ? (spanish ? 'menos de 1 min' : 'under 1 min')
            : minutes < 60 ? minutes + ' min' : Math.floor(minutes / 60) + ' h ' + ('0' + minutes % 60).slice(-2) + ' min';
      }
      if (ticket.getAttribute('data-claimed') !== 'true') {
        ticket.classList.remove('sla-ok', 'sla-amber', 'sla-red');
        ticket.classList.add(waited > sla ? 'sla-red' : waited * 2 >= sla ? 'sla-amber' : 'sla-ok');
      }
    });
  }

  var unseen = 0;
  var baseTitle = document.title;

  function announceNewTicket() {
    if (document.hidden || !document.hasFocus()) {
      unseen += 1;
      document.title = '(' + unseen + ') ' + baseTitle;
    }
    var text = main.getAttribute('data-new-ticket') || 'Nueva conversación en la cola';
    if ('Notification' in window && Notification.permission === 'granted' && document.hidden) {
      new Notification('SoporteMax', {body: text, tag: 'soportemax-queue'});
    }
    var sound = document.getElementById('sound-toggle');
    if (sound && sound.checked) {
      beep();
    }
  }

  function beep() {
    var AudioContext = window.AudioContext || window.webkitAudioContext;
    if (!AudioContext) {
      return;
    }
    var context = new AudioContext();
    var oscillator = context.createOscillator();
    var gain = context.createGain();
    oscillator.frequency.value = 880;
    gain.gain.value = 0.08;
    oscillator.connect(gain);
    gain.connect(context.destination);
    oscillator.start();
    oscillator.stop(context.currentTime + 0.18);
  }

  function setUpQueue() {
    var sound = document.getElementById('sound-toggle');
    if (sound) {
      sound.checked = localStorage.getItem('smx-sound') === 'on';
      sound.addEventListener('change', function () {
        localStorage.setItem('smx-sound', sound.checked ? 'on' : 'off');
      });
    }
    document.addEventListener('click', function askOnce() {
      if ('Notification' in window && Notification.permission === 'default') {
        Notification.requestPermission();
      }
      document.removeEventListener('click', askOnce);
    });
    window.addEventListener('focus', function () {
      unseen = 0;
      document.title = baseTitle;
    });
    setInterval(tickSla, 1000);
    tickSla();
  }

  // ---------------------------------------------------------------- conversation: reply box, notes, search

  function setUpConversation() {
    var reply = document.getElementById('reply-text');
    var key = 'smx-reply-' + conversationId;
    if (reply) {
      if (main.getAttribute('data-sent') === 'true') {
        localStorage.removeItem(key);
      } else if (localStorage.getItem(key) !== null) {
        reply.value = localStorage.getItem(key);
      }
      reply.addEventListener('input', function () {
        localStorage.setItem(key, reply.value);
      });
      reply.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          reply.form.requestSubmit();
        } else if ((event.key === 'Tab' || event.key === 'Enter') && insertCanned(reply)) {
          event.preventDefault();
        }
      });
      reply.focus();
      reply.setSelectionRange(0, 0);
    }
    var search = document.getElementById('knowledge-form');
    if (search) {
      search.addEventListener('submit', function (event) {
        event.preventDefault();
        var query = document.getElementById('knowledge-query').value;
        fetch(search.getAttribute('data-fragment') + '?q=' + encodeURIComponent(query),
            {headers: csrfHeaders(), credentials: 'same-origin'})
            .then(function (response) { return response.text(); })
            .then(function (html) {
              var holder = document.createElement('div');
              holder.innerHTML = html;
              document.getElementById('passages').replaceWith(holder.querySelector('#passages') || holder);
            });
      });
    }
    document.addEventListener('click', function (event) {
      var button = event.target.closest('.insert-passage');
      if (button && reply) {
        reply.value = (reply.value ? reply.value.replace(/\s*$/, '\n\n') : '') + button.getAttribute('data-text');
        localStorage.setItem(key, reply.value);
        reply.focus();
      }
    });
    // Forms with data-confirm ask first: admin.js handles them on every page.
  }

  /** "/shortcut" just before the caret becomes the canned reply's text. */
  function insertCanned(reply) {
    var before = reply.value.slice(0, reply.selectionStart);
    var match = /(^|\s)\/([a-z0-9_-]+)$/.exec(before);
    if (!match) {
      return false;
    }
    var item = document.querySelector('#canned-replies li[data-shortcut="' + match[2] + '"]');
    if (!item) {
      return false;
    }
    var start = before.length - match[2].length - 1;
    var text = item.getAttribute('data-text');
    reply.value = reply.value.slice(0, start) + text + reply.value.slice(reply.selectionStart);
    reply.setSelectionRange(start + text.length, start + text.length);
    localStorage.setItem('smx-reply-' + conversationId, reply.value);
    return true;
  }

  localTimes(document);
  if (page === 'queue') {
    setUpQueue();
  } else {
    setUpConversation();
  }
  connect();
})();
