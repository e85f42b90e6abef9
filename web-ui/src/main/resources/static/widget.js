/*!
 * SoporteMax chat widget. One line embeds it on any site:
 *   <script src="https://HOST/widget.js" data-locale="es" data-title="Ayuda" data-color="#0b5cab" async></script>
 *
 * Contracts this file keeps:
 * - The API base is derived from this script's own src, so the widget talks to the server that served it.
 * - Everything lives in a Shadow DOM: the host page's CSS cannot reach it and ours cannot leak out.
 * - Text from customers, the bot and agents is only ever set with textContent, never parsed as HTML (the few
 *   Markdown marks shown as formatting become elements built one by one).
 * - The conversation token is kept in Web Storage keyed by the embedding site and sent only in the
 *   Authorization header; it is never put in a URL. A closed conversation is dropped from storage (it stays in
 *   memory while the page is open, for the rating); "forget this conversation" removes it and the browser's id
 *   from storage and revokes the token on the server, so the next person at a shared computer finds nothing.
 * - Live events come from fetch() with a streaming reader, since EventSource cannot send an Authorization header.
 */
(function () {
  'use strict';

  var script = document.currentScript ||
      document.querySelector('script[src$="/widget.js"],script[src*="/widget.js?"]');
  if (!script || window.SoporteMax) {
    return; // embedded twice: the first copy serves the page
  }

  var STRINGS = {
    es: {
      open: 'Abrir el chat de ayuda',
      close: 'Cerrar el chat',
      defaultTitle: 'Atención al cliente',
      subtitleBot: 'Asistente virtual · 24 h',
      subtitleEscalated: 'Esperando a un agente',
      subtitleAgent: 'Hablando con un agente',
      subtitleClosed: 'Conversación finalizada',
      welcome: '¡Hola! Soy el asistente de SoporteMax. Pregúntame sobre pedidos, envíos, devoluciones, garantía o tu cuenta.',
      placeholder: 'Escribe tu pregunta…',
      inputLabel: 'Tu mensaje',
      send: 'Enviar',
      human: 'Hablar con una persona',
      you: 'Tú',
      bot: 'Asistente',
      agent: 'Agente',
      sources: 'Fuentes',
      helpful: 'Respuesta útil',
      notHelpful: 'Respuesta no útil',
      feedbackReason: '¿Qué ha fallado? (opcional)',
      feedbackSend: 'Enviar',
      feedbackThanks: '¡Gracias por tu opinión!',
      typingBot: 'El asistente está escribiendo…',
      typingAgent: 'El agente está escribiendo…',
      escalated: 'Te pasamos con una persona del equipo de soporte. Un agente continuará la conversación en breve.',
      agentJoined: 'Un agente se ha unido a la conversación.',
      closed: 'La conversación ha finalizado.',
      sending: 'Enviando…',
      failed: 'No se ha enviado.',
      retry: 'Reintentar',
      offline: 'Sin conexión. Tus mensajes se enviarán al reintentar.',
      reconnecting: 'Conexión perdida. Reconectando…',
      networkError: 'No hemos podido conectar con el servidor. Comprueba tu conexión y vuelve a intentarlo.',
      rateLimited: 'Has enviado muchos mensajes seguidos. Espera {s} s y vuelve a intentarlo.',
      serverError: 'Algo ha fallado en nuestro servidor. Vuelve a intentarlo en unos segundos.',
      escalateFailed: 'No hemos podido avisar a un agente. Vuelve a intentarlo.',
      rejected: 'No hemos podido aceptar ese mensaje. Revísalo (máximo 2000 caracteres) y vuelve a intentarlo.',
      conversationLost: 'La conversación anterior ya no está disponible. Tu mensaje sigue en el cuadro: envíalo de nuevo.',
      rateTitle: '¿Cómo te hemos atendido?',
      rateScore: 'Puntuación',
      star: '{n} de 5',
      rateComment: 'Comentario (opcional)',
      rateSend: 'Enviar valoración',
      rateThanks: '¡Gracias por tu valoración!',
      rateFailed: 'No hemos podido guardar tu valoración. Vuelve a intentarlo.',
      rateMissing: 'Elige una puntuación de 1 a 5.',
      newConversation: 'Nueva conversación',
      end: 'Finalizar',
      endConfirm: '¿Finalizar la conversación? Podrás valorarla y empezar otra cuando quieras.',
      forget: 'Olvidar esta conversación',
      forgetConfirm: '¿Borrar esta conversación de este navegador? Nadie podrá volver a abrirla desde aquí.',
      forgotten: 'Hemos borrado la conversación de este navegador.',
      emailPrompt: 'Déjanos tu correo y te enviaremos la respuesta:',
      emailPlaceholder: 'tu@correo.es',
      emailSend: 'Enviar correo',
      emailInvalid: 'Escribe una dirección de correo válida.',
      unread: '{n} mensajes nuevos',
      unreadOne: '1 mensaje nuevo',
      poweredBy: 'Con la tecnología de SoporteMax'
    },
    en: {
      open: 'Open the help chat',
      close: 'Close the chat',
      defaultTitle: 'Customer support',
      subtitleBot: 'Virtual assistant · 24/7',
      subtitleEscalated: 'Waiting for an agent',
      subtitleAgent: 'Talking to an agent',
      subtitleClosed: 'Conversation ended',
      welcome: 'Hi! I am the SoporteMax assistant. Ask me about orders, shipping, returns, warranty or your account.',
      placeholder: 'Type your question…',
      inputLabel: 'Your message',
      send: 'Send',
      human: 'Talk to a person',
      you: 'You',
      bot: 'Assistant',
      agent: 'Agent',
      sources: 'Sources',
      helpful: 'Helpful answer',
      notHelpful: 'Unhelpful answer',
      feedbackReason: 'What went wrong? (optional)',
      feedbackSend: 'Send',
      feedbackThanks: 'Thanks for your feedback!',
      typingBot: 'The assistant is typing…',
      typingAgent: 'The agent is typing…',
      escalated: 'We are passing you to a person from our support team. An agent will continue the conversation shortly.',
      agentJoined: 'An agent has joined the conversation.',
      closed: 'The conversation has ended.',
      sending: 'Sending…',
      failed: 'Not sent.',
      retry: 'Retry',
      offline: 'You are offline. Your messages will be sent when you retry.',
      reconnecting: 'Connection lost. Reconnecting…',
      networkError: 'We could not reach the server. Check your connection and try again.',
      rateLimited: 'You have sent many messages in a row. Wait {s} s and try again.',
      serverError: 'Something went wrong on our server. Try again in a few seconds.',
      escalateFailed: 'We could not call an agent. Please try again.',
      rejected: 'We could not accept that message. Check it (2000 characters at most) and try again.',
      conversationLost: 'Your previous conversation is no longer available. Your message is still in the box: send it again.',
      rateTitle: 'How did we do?',
      rateScore: 'Score',
      star: '{n} out of 5',
      rateComment: 'Comment (optional)',
      rateSend: 'Send rating',
      rateThanks: 'Thank you for your rating!',
      rateFailed: 'We could not save your rating. Please try again.',
      rateMissing: 'Choose a score from 1 to 5.',
      newConversation: 'New conversation',
      end: 'End chat',
      endConfirm: 'End the conversation? You can rate it and start another whenever you like.',
      forget: 'Forget this conversation',
      forgetConfirm: 'Remove this conversation from this browser? Nobody will be able to open it from here again.',
      forgotten: 'The conversation has been removed from this browser.',
      emailPrompt: 'Leave your e-mail address and we will send you the answer:',
      emailPlaceholder: 'you@example.com',
      emailSend: 'Send address',
      emailInvalid: 'Write a valid e-mail address.',
      unread: '{n} new messages',
      unreadOne: '1 new message',
      poweredBy: 'Powered by SoporteMax'
    }
  };

  var ICONS = {
    chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z',
    close: 'M6 6l12 12M18 6L6 18',
    send: 'M3 11.5L21 3l-8.5 18-2-7.5z',
    person: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 8a7 7 0 0 1 14 0',
    star: 'M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8-5.2-2.8-5.2 2.8 1-5.8-4.3-4.1 5.9-.9z',
    bot: 'M12 3v3M6 8h12a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2zM9 13h.01M15 13h.01'
  };

  var locale = (script.getAttribute('data-locale') || 'es').toLowerCase().slice(0, 2);
  if (!STRINGS[locale]) {
    locale = 'es';
  }
  var T = STRINGS[locale];

  function t(key, values) {
    var text = T[key];
    if (values) {
      Object.keys(values).forEach(function (name) {
        text = text.replace('{' + name + '}', values[name]);
      });
    }
    return text;
  }

  var scriptUrl = new URL(script.src, document.baseURI);
  var base = new URL('.', scriptUrl);
  var apiBase = new URL('api/widget/', base).href;
  var cssUrl = new URL('widget/widget.css', base).href;
  var title = script.getAttribute('data-title') || t('defaultTitle');
  var storageKey = 'soportemax.widget:' + base.href + '@' + window.location.host;
  var store = pickStorage();

  // ---------------------------------------------------------------- state

  var session = readSession();            // {conversationId, token, rated}
  var state = 'BOT';                      // BOT | ESCALATED | AGENT | CLOSED
  var messages = {};                      // seq -> view model
  var pending = [];                       // outgoing customer messages not yet confirmed by the server
  var lastEventId = null;
  var stream = null;                      // {controller}
  var reconnectDelay = 1000;
  var reconnectTimer = null;
  var isOpen = false;
  var unread = 0;
  var typingTimer = null;

  // ---------------------------------------------------------------- DOM

  // A tag of our own: page rules written for div, section, button... never match the host element.
  var host = document.createElement('soportemax-chat');
  host.id = 'soportemax-widget';
  // Hidden until our stylesheet has loaded, so the host page never sees an unstyled flash.
  host.style.cssText = 'all:initial;position:fixed;z-index:2147483000;bottom:0;right:0;visibility:hidden;';
  var root = host.attachShadow({mode: 'open'});

  var link = el('link', {rel: 'stylesheet', href: cssUrl});
  link.addEventListener('load', function () {
    host.style.visibility = 'visible';
    scrollToEnd(false); // the log only has its height (and can scroll) once styled
  });
  link.addEventListener('error', function () { host.style.visibility = 'visible'; });
  root.appendChild(link);

  var accent = safeColor(script.getAttribute('data-color'));
  var container = el('div', {'class': 'smx'});
  if (accent) {
    container.style.setProperty('--smx-accent', accent);
    container.style.setProperty('--smx-on-accent', readableOn(accent));
  }
  container.setAttribute('lang', locale);
  root.appendChild(container);

  var panelId = 'smx-panel';
  var bubble = el('button', {
    'class': 'smx-bubble', type: 'button', 'aria-label': t('open'),
    'aria-expanded': 'false', 'aria-controls': panelId
  });
  bubble.appendChild(icon('chat'));
  var badge = el('span', {'class': 'smx-badge', hidden: '', 'aria-hidden': 'true'});
  bubble.appendChild(badge);

  var panel = el('section', {
    'class': 'smx-panel', id: panelId, role: 'dialog', 'aria-modal': 'false',
    'aria-labelledby': 'smx-title', 'aria-describedby': 'smx-subtitle', hidden: ''
  });

  var header = el('header', {'class': 'smx-header'});
  var avatar = el('span', {'class': 'smx-avatar', 'aria-hidden': 'true'});
  avatar.appendChild(icon('bot'));
  var headings = el('div', {'class': 'smx-headings'});
  var titleEl = el('h2', {'class': 'smx-title', id: 'smx-title'}, title);
  var subtitleEl = el('p', {'class': 'smx-subtitle', id: 'smx-subtitle'}, t('subtitleBot'));
  headings.appendChild(titleEl);
  headings.appendChild(subtitleEl);
  var closeButton = el('button', {'class': 'smx-close', type: 'button', 'aria-label': t('close')});
  closeButton.appendChild(icon('close'));
  header.appendChild(avatar);
  header.appendChild(headings);
  header.appendChild(closeButton);

  var alertBar = el('div', {'class': 'smx-alert', role: 'alert', hidden: ''});
  var alertText = el('span', {'class': 'smx-alert-text'});
  var alertRetry = el('button', {'class': 'smx-link', type: 'button', hidden: ''}, t('retry'));
  alertBar.appendChild(alertText);
  alertBar.appendChild(alertRetry);
  var alertAction = null;

  var log = el('div', {
    'class': 'smx-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions',
    'aria-label': title, tabindex: '0'
  });
  var welcome = el('div', {'class': 'smx-msg smx-bot smx-welcome'});
  welcome.appendChild(el('div', {'class': 'smx-text'}, t('welcome')));
  log.appendChild(welcome);

  var typing = el('div', {'class': 'smx-typing', hidden: '', role: 'status'});
  var typingLabel = el('span', {'class': 'smx-visually-hidden'});
  typing.appendChild(el('span', {'class': 'smx-dot', 'aria-hidden': 'true'}));
  typing.appendChild(el('span', {'class': 'smx-dot', 'aria-hidden': 'true'}));
  typing.appendChild(el('span', {'class': 'smx-dot', 'aria-hidden': 'true'}));
  typing.appendChild(typingLabel);

  var rating = buildRating();

  var actions = el('div', {'class': 'smx-actions'});
  var humanButton = el('button', {'class': 'smx-human', type: 'button'});
  humanButton.appendChild(icon('person'));
  humanButton.appendChild(document.createTextNode(t('human')));
  var restartButton = el('button', {'class': 'smx-human', type: 'button', hidden: ''}, t('newConversation'));
  var endButton = el('button', {'class': 'smx-quiet', type: 'button', hidden: ''}, t('end'));
  var forgetButton = el('button', {'class': 'smx-quiet smx-forget', type: 'button', hidden: ''}, t('forget'));
  actions.appendChild(humanButton);
  actions.appendChild(endButton);
  actions.appendChild(restartButton);
  actions.appendChild(forgetButton);

  var form = el('form', {'class': 'smx-composer', novalidate: ''});
  var inputId = 'smx-input';
  var inputLabel = el('label', {'for': inputId, 'class': 'smx-visually-hidden'}, t('inputLabel'));
  var input = el('textarea', {
    id: inputId, rows: '1', maxlength: '2000', placeholder: t('placeholder'), autocomplete: 'off'
  });
  var sendButton = el('button', {'class': 'smx-send', type: 'submit', 'aria-label': t('send')});
  sendButton.appendChild(icon('send'));
  form.appendChild(inputLabel);
  form.appendChild(input);
  form.appendChild(sendButton);

  var footer = el('p', {'class': 'smx-footer'}, t('poweredBy'));

  panel.appendChild(header);
  panel.appendChild(alertBar);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(rating.element);
  panel.appendChild(actions);
  panel.appendChild(form);
  panel.appendChild(footer);
  container.appendChild(panel);
  container.appendChild(bubble);

  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) {
    mount();
  } else {
    document.addEventListener('DOMContentLoaded', mount);
  }

  // ---------------------------------------------------------------- open / close, keyboard

  bubble.addEventListener('click', function () { isOpen ? close() : open(); });
  closeButton.addEventListener('click', function () { close(); });
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    }
  });

  function open() {
    isOpen = true;
    panel.hidden = false;
    container.classList.add('smx-open');
    bubble.setAttribute('aria-expanded', 'true');
    bubble.setAttribute('aria-label', t('close'));
    bubble.replaceChild(icon('close'), bubble.firstChild);
    setUnread(0);
    remember('open', true);
    scrollToEnd(true);
    if (!input.disabled) {
      input.focus();
    } else {
      closeButton.focus();
    }
  }

  function close() {
    isOpen = false;
    panel.hidden = true;
    container.classList.remove('smx-open');
    bubble.setAttribute('aria-expanded', 'false');
    bubble.setAttribute('aria-label', t('open'));
    bubble.replaceChild(icon('chat'), bubble.firstChild);
    remember('open', false);
    bubble.focus();
  }

  function setUnread(count) {
    unread = count;
    badge.hidden = count === 0;
    badge.textContent = count > 9 ? '9+' : String(count);
    // The button's own label is what screen readers announce, so the count goes there too.
    if (!isOpen) {
      bubble.setAttribute('aria-label', count ? t('open') + ' (' + (count === 1 ? t('unreadOne') : t('unread', {n: count})) + ')' : t('open'));
    }
  }

  // ---------------------------------------------------------------- composer

  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', autosize);
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    submit();
  });

  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 120) + 'px';
  }

  function submit() {
    var text = input.value.trim();
    if (!text || input.disabled) {
      return;
    }
    input.value = '';
    autosize();
    var outgoing = {clientMessageId: uuid(), text: text, element: null, status: 'sending'};
    outgoing.element = renderOutgoing(outgoing);
    pending.push(outgoing);
    send(outgoing);
  }

  function send(outgoing) {
    setOutgoingStatus(outgoing, 'sending');
    hideAlert();
    ensureConversation().then(function () {
      return api('POST', 'conversations/' + session.conversationId + '/messages',
          {clientMessageId: outgoing.clientMessageId, text: outgoing.text});
    }).then(function (body) {
      if (body && body.seq != null) {
        confirmOutgoing(outgoing, body.seq);
      } else {
        setOutgoingStatus(outgoing, 'sent');
      }
      if (state === 'BOT') {
        showTyping('bot');
      }
      connect();
    }).catch(function (error) {
      if (error.status === 401 || error.status === 404) {
        // The server no longer knows this conversation: start afresh and give the customer their text back.
        outgoing.element.remove();
        forgetConversation();
        input.value = outgoing.text;
        autosize();
        showAlert(t('conversationLost'));
        input.focus();
        return;
      }
      setOutgoingStatus(outgoing, 'failed');
      if (error.status === 409) {
        refreshState(); // ended meanwhile (e.g. by an agent): the rating form replaces the composer
        showAlert(t('closed'));
      } else if (error.status === 400) {
        showAlert(t('rejected'));
      } else {
        showError(error, function () { send(outgoing); });
      }
    });
  }

  function refreshState() {
    api('GET', 'conversations/' + session.conversationId + '/messages?after=0').then(function (body) {
      (body.messages || []).forEach(upsertMessage);
      changeState(body.state);
    }).catch(function (error) {
      showError(error, refreshState);
    });
  }

  humanButton.addEventListener('click', function () {
    humanButton.disabled = true;
    ensureConversation().then(function () {
      return api('POST', 'conversations/' + session.conversationId + '/escalate');
    }).then(function (body) {
      hideAlert();
      changeState((body && body.state) || 'ESCALATED');
      connect();
    }).catch(function (error) {
      humanButton.disabled = false;
      showError(error, function () { humanButton.click(); }, t('escalateFailed'));
    });
  });

  endButton.addEventListener('click', function () {
    if (!session || !window.confirm(t('endConfirm'))) {
      return;
    }
    endButton.disabled = true;
    api('POST', 'conversations/' + session.conversationId + '/close').then(function (body) {
      hideAlert();
      changeState((body && body.state) || 'CLOSED');
    }).catch(function (error) {
      showError(error, function () { endButton.click(); });
    }).then(function () {
      endButton.disabled = false;
    });
  });

  restartButton.addEventListener('click', function () {
    forgetConversation();
    input.focus();
  });

  // Removed from this browser at once, whatever the network says; the token is revoked on the server too, so a
  // copy of it (another tab, a backup of the storage) stops working.
  forgetButton.addEventListener('click', function () {
    if (!session || !window.confirm(t('forgetConfirm'))) {
      return;
    }
    var forgotten = session;
    forgetConversation();
    store.removeItem('soportemax.browser-id');
    try {
      window.sessionStorage.removeItem(storageKey + ':open');
    } catch (ignored) { /* storage blocked: nothing was kept there */ }
    showAlert(t('forgotten'));
    fetch(apiBase + 'conversations/' + forgotten.conversationId + '/token', {
      method: 'DELETE', headers: {'Authorization': 'Bearer ' + forgotten.token}, cache: 'no-store',
      credentials: 'omit', keepalive: true
    }).catch(function () { /* offline: the token is gone from here, and it expires on the server anyway */ });
    input.focus();
  });

  // ---------------------------------------------------------------- conversation lifecycle

  // Messages typed quickly one after another must land in one conversation, not start one each.
  var starting = null;

  function ensureConversation() {
    if (session && session.conversationId && session.token) {
      return Promise.resolve(session);
    }
    if (!starting) {
      starting = api('POST', 'conversations', {locale: locale, page: String(window.location.href).slice(0, 2000),
        browserId: browserId()}, true).then(function (body) {
        session = {conversationId: body.conversationId, token: body.token, rated: false};
        writeSession();
        applyState();
        return session;
      });
      starting.then(function () { starting = null; }, function () { starting = null; });
    }
    return starting;
  }

  // A random id for this browser, so agents see the customer's earlier conversations; nothing else identifies them.
  function browserId() {
    var id = store.getItem('soportemax.browser-id');
    if (!id || !/^[0-9a-f-]{36}$/.test(id)) {
      id = uuid();
      store.setItem('soportemax.browser-id', id);
    }
    return id;
  }

  function forgetConversation() {
    disconnect();
    session = null;
    writeSession();
    messages = {};
    pending = [];
    lastEventId = null;
    Array.prototype.slice.call(log.querySelectorAll('.smx-msg:not(.smx-welcome),.smx-notice'))
        .forEach(function (node) { node.remove(); });
    rating.reset();
    hideTyping();
    hideAlert();
    state = 'BOT';
    applyState();
  }

  function restore() {
    if (!session) {
      applyState();
      return;
    }
    api('GET', 'conversations/' + session.conversationId + '/messages?after=0').then(function (body) {
      if (body.state === 'CLOSED') {
        forgetConversation(); // ended while this page was away: nothing to rate or continue here any more
        return;
      }
      var list = body.messages || [];
      list.forEach(upsertMessage);
      lastEventId = resumePoint(list);
      changeState(body.state, true);
      offerEmail(body.emailOffered && !body.contactEmail && body.state === 'ESCALATED');
      if (recall('open')) {
        open();
      }
      scrollToEnd(true);
      connect();
    }).catch(function (error) {
      if (error.status === 401 || error.status === 403 || error.status === 404) {
        // The server no longer knows this conversation (expired or deleted): start afresh.
        forgetConversation();
      } else {
        showError(error, restore);
      }
    });
  }

  // ---------------------------------------------------------------- live events

  // The live stream resumes after the last message we hold in full, but never past a bot answer still being written.
  function resumePoint(list) {
    var resume = 0;
    for (var i = 0; i < list.length; i++) {
      if (!list[i].complete) {
        break;
      }
      resume = list[i].seq;
    }
    return resume > 0 ? String(resume) : null;
  }

  function connect() {
    if (stream || !session || state === 'CLOSED') {
      return;
    }
    var controller = new AbortController();
    var openedAt = Date.now();
    stream = {controller: controller};
    var headers = {'Accept': 'text/event-stream', 'Authorization': 'Bearer ' + session.token};
    if (lastEventId) {
      headers['Last-Event-ID'] = lastEventId;
    }
    fetch(apiBase + 'conversations/' + session.conversationId + '/events', {
      headers: headers, signal: controller.signal, cache: 'no-store', credentials: 'omit'
    }).then(function (response) {
      if (!response.ok) {
        throw httpError(response);
      }
      if (!response.body || !response.body.getReader) {
        throw new Error('streaming not supported');
      }
      hideAlertIf(t('reconnecting'));
      return readEvents(response.body.getReader(), controller);
    }).then(function () {
      if (controller.signal.aborted) {
        return;
      }
      // The server ends streams now and then (timeouts, restarts): come straight back, unless it keeps
      // ending them at once, which is then treated like an error and backed off.
      if (Date.now() - openedAt > 5000) {
        reconnectDelay = 1000;
      }
      reconnectLater(controller, null);
    }).catch(function (error) {
      if (controller.signal.aborted) {
        return;
      }
      if (error.status === 401 || error.status === 403 || error.status === 404) {
        stream = null;
        forgetConversation();
        return;
      }
      reconnectLater(controller, error);
    });
  }

  function disconnect() {
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (stream) {
      stream.controller.abort();
      stream = null;
    }
  }

  function reconnectLater(controller, error) {
    if (!stream || stream.controller !== controller) {
      return; // a newer stream has taken over
    }
    stream = null;
    if (state === 'CLOSED' || !session) {
      return;
    }
    if (error && alertBar.hidden) {
      showAlert(t('reconnecting'));
    }
    var delay = reconnectDelay;
    if (error && error.retryAfter) {
      delay = Math.max(delay, error.retryAfter * 1000);
    }
    reconnectDelay = Math.min(reconnectDelay * 2, 30000);
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(function () {
      reconnectTimer = null;
      connect();
    }, delay + Math.random() * 250);
  }

  // Server-sent events wire format (WHATWG HTML, "event stream interpretation"), read from a fetch body.
  function readEvents(reader, controller) {
    var decoder = new TextDecoder();
    var buffer = '';
    var event = {type: '', data: [], id: null};

    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done || controller.signal.aborted) {
          return;
        }
        buffer += decoder.decode(chunk.value, {stream: true});
        var lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop();
        lines.forEach(function (line) {
          if (line === '') {
            if (event.data.length) {
              dispatch(event.type || 'message', event.data.join('\n'));
            }
            event = {type: '', data: [], id: null};
            return;
          }
          if (line.charAt(0) === ':') {
            return;
          }
          var colon = line.indexOf(':');
          var field = colon < 0 ? line : line.slice(0, colon);
          var value = colon < 0 ? '' : line.slice(colon + 1);
          if (value.charAt(0) === ' ') {
            value = value.slice(1);
          }
          if (field === 'event') {
            event.type = value;
          } else if (field === 'data') {
            event.data.push(value);
          } else if (field === 'id' && value.indexOf('\u0000') < 0) {
            event.id = value;
            lastEventId = value;
          }
        });
        return pump();
      });
    }

    return pump();
  }

  function dispatch(type, data) {
    var payload;
    try {
      payload = JSON.parse(data);
    } catch (ignored) {
      return; // keep-alives and anything not JSON carry nothing for the view
    }
    reconnectDelay = 1000;
    hideAlertIf(t('reconnecting'));
    if (payload === null || typeof payload !== 'object') {
      return;
    }
    if (type === 'delta') {
      applyDelta(payload);
    } else if (type === 'retract') {
      withdraw(payload.seq);
    } else if (type === 'state') {
      changeState(payload.state);
      offerEmail(payload.emailOffered && state === 'ESCALATED');
    } else if (type === 'message') {
      upsertMessage(payload);
    }
  }

  // ---------------------------------------------------------------- messages

  function upsertMessage(data) {
    if (data.seq == null || !data.role) {
      return;
    }
    var role = String(data.role).toUpperCase();
    if (role === 'CUSTOMER' && adoptPending(data)) {
      return;
    }
    var message = messages[data.seq];
    if (!message) {
      if (role === 'SYSTEM') {
        claimLocalNotice();
        lastServerNoticeAt = Date.now();
      }
      message = createMessage(data.seq, role, data.authorName);
      if (role !== 'CUSTOMER' && role !== 'SYSTEM' && !isOpen) {
        setUnread(unread + 1);
      }
    }
    if (typeof data.text === 'string' && (data.complete || data.text.length >= message.text.length)) {
      setText(message, data.text, data.complete !== false ? data.html : null);
    }
    if (data.complete !== false) {
      completeMessage(message, data.sources || []);
    } else {
      message.element.setAttribute('aria-busy', 'true');
      if (role === 'BOT') {
        showTyping('bot');
      }
    }
    if (role === 'AGENT' || (role === 'BOT' && data.complete !== false)) {
      hideTyping();
    }
    if ((role === 'BOT' || role === 'AGENT') && data.complete !== false
        && message.element.offsetHeight > log.clientHeight * 0.8 && followEnd) {
      // A long answer opens at its beginning: the customer reads it from the top, not from its last line.
      log.scrollTop = message.element.offsetTop - log.offsetTop - 8;
      followEnd = false;
      return;
    }
    scrollToEnd(false);
  }

  // A delta carries the text of an open bot message from character `offset` on: replacing from there makes a
  // delta received twice (live, then again in a reconnect's replay) harmless.
  function applyDelta(data) {
    if (data.seq == null || typeof data.text !== 'string') {
      return;
    }
    var message = messages[data.seq];
    if (!message && data.text === '') {
      showTyping('bot'); // offset 0 with no text: the bot has started writing
      return;
    }
    if (!message) {
      message = createMessage(data.seq, 'BOT');
      if (!isOpen) {
        setUnread(unread + 1);
      }
    }
    if (message.complete) {
      return;
    }
    var offset = Math.max(0, Math.min(Number(data.offset) || 0, message.text.length));
    setText(message, message.text.slice(0, offset) + data.text);
    message.element.setAttribute('aria-busy', 'true');
    message.element.classList.toggle('smx-streaming', message.text.length > 0);
    if (message.text.length > 0) {
      hideTyping();
    }
    scrollToEnd(false);
  }

  function setText(message, text, html) {
    message.text = text;
    if ((message.role === 'BOT' || message.role === 'AGENT') && typeof html === 'string') {
      // The server's rendering of the Markdown (commonmark, raw HTML escaped, unsafe links dropped): the same one
      // the agents see.
      message.textEl.innerHTML = html;
    } else if (message.role === 'BOT' || message.role === 'AGENT') {
      renderFormatted(message.textEl, text);
    } else {
      message.textEl.textContent = text;
    }
    message.element.classList.toggle('smx-empty', text.length === 0);
  }

  // Answers come from knowledge-base articles written in Markdown. A few of its marks are shown as formatting
  // (headings, lists, **bold**); everything else stays literal text. Nodes are built one by one with textContent,
  // never from HTML, so no text can inject markup.
  function renderFormatted(target, text) {
    target.textContent = '';
    var block = null;
    var list = null;
    text.split('\n').forEach(function (line) {
      var heading = /^#{1,6}\s+(.*)$/.exec(line);
      var bullet = /^\s*[-*•]\s+(.*)$/.exec(line);
      var numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
      if (!line.trim()) {
        block = null;
        list = null;
      } else if (heading) {
        list = null;
        block = null;
        target.appendChild(inline(el('p', {'class': 'smx-heading'}), heading[1]));
      } else if (bullet || numbered) {
        var tag = bullet ? 'ul' : 'ol';
        if (!list || list.tagName.toLowerCase() !== tag) {
          list = el(tag, {});
          target.appendChild(list);
        }
        block = null;
        list.appendChild(inline(el('li', {}), (bullet || numbered)[1]));
      } else {
        list = null;
        if (!block) {
          block = el('p', {});
          target.appendChild(block);
        } else {
          block.appendChild(document.createTextNode('\n'));
        }
        inline(block, line);
      }
    });
  }

  function inline(parent, text) {
    var parts = text.split(/\*\*(\S(?:.*?\S)?)\*\*/);
    parts.forEach(function (part, index) {
      if (part) {
        parent.appendChild(index % 2 === 1 ? el('strong', {}, part) : document.createTextNode(part));
      }
    });
    return parent;
  }

  function withdraw(seq) {
    var message = messages[seq];
    if (message) {
      message.element.remove();
      delete messages[seq];
    }
  }

  function createMessage(seq, role, authorName) {
    var element;
    var message = {seq: seq, role: role, text: '', complete: false};
    if (role === 'SYSTEM') {
      element = el('div', {'class': 'smx-notice'});
      message.textEl = element;
    } else {
      element = el('div', {'class': 'smx-msg smx-' + role.toLowerCase()});
      element.appendChild(el('span', {'class': 'smx-author'},
          role === 'CUSTOMER' ? t('you') : role === 'AGENT' ? String(authorName || t('agent')) : t('bot')));
      message.textEl = el('div', {'class': 'smx-text'});
      element.appendChild(message.textEl);
    }
    element.setAttribute('data-seq', String(seq));
    message.element = element;
    messages[seq] = message;
    insertInOrder(element, seq);
    return message;
  }

  function completeMessage(message, sources) {
    message.complete = true;
    message.element.removeAttribute('aria-busy');
    message.element.classList.remove('smx-streaming');
    if (sources.length && !message.sourcesEl) {
      var box = el('div', {'class': 'smx-sources'});
      box.appendChild(el('span', {'class': 'smx-sources-label'}, t('sources') + ':'));
      var list = el('ul', {});
      sources.forEach(function (source) {
        var item = el('li', {}, String(source.title || source.externalId || ''));
        if (source.externalId) {
          item.setAttribute('data-article', String(source.externalId));
        }
        list.appendChild(item);
      });
      box.appendChild(list);
      message.element.appendChild(box);
      message.sourcesEl = box;
    }
    if (message.role === 'BOT' && !message.feedbackEl) {
      addFeedback(message);
    }
  }

  // Thumbs up or down under each bot answer; a thumbs down may say why. Answering again replaces the earlier one.
  function addFeedback(message) {
    var box = el('div', {'class': 'smx-feedback'});
    var up = el('button', {'type': 'button', 'class': 'smx-thumb', 'data-helpful': 'true',
      'aria-label': t('helpful'), 'title': t('helpful'), 'aria-pressed': 'false'}, '\uD83D\uDC4D');
    var down = el('button', {'type': 'button', 'class': 'smx-thumb', 'data-helpful': 'false',
      'aria-label': t('notHelpful'), 'title': t('notHelpful'), 'aria-pressed': 'false'}, '\uD83D\uDC4E');
    var why = el('form', {'class': 'smx-feedback-reason', 'hidden': ''});
    var reason = el('input', {'type': 'text', 'maxlength': '500', 'aria-label': t('feedbackReason'),
      'placeholder': t('feedbackReason')});
    why.appendChild(reason);
    why.appendChild(el('button', {'type': 'submit'}, t('feedbackSend')));
    var status = el('span', {'class': 'smx-feedback-status', 'role': 'status'});
    function rate(helpful, text) {
      up.setAttribute('aria-pressed', String(helpful));
      down.setAttribute('aria-pressed', String(!helpful));
      var body = {helpful: helpful};
      if (text) {
        body.reason = text;
      }
      return api('POST', 'conversations/' + session.conversationId + '/messages/' + message.seq + '/feedback', body)
        .then(function () { status.textContent = t('feedbackThanks'); })
        .catch(function () { status.textContent = ''; });
    }
    up.addEventListener('click', function () { why.hidden = true; rate(true); });
    down.addEventListener('click', function () { why.hidden = false; rate(false); });
    why.addEventListener('submit', function (event) {
      event.preventDefault();
      rate(false, reason.value.trim()).then(function () { why.hidden = true; });
    });
    box.appendChild(up);
    box.appendChild(down);
    box.appendChild(status);
    box.appendChild(why);
    message.element.appendChild(box);
    message.feedbackEl = box;
  }

  // A customer message the server echoes back is the one this tab is already showing as pending.
  function adoptPending(data) {
    if (messages[data.seq]) {
      return true;
    }
    for (var i = 0; i < pending.length; i++) {
      var outgoing = pending[i];
      if (outgoing.seq == null && outgoing.status !== 'failed' &&
          (outgoing.clientMessageId === data.clientMessageId || outgoing.text === data.text)) {
        confirmOutgoing(outgoing, data.seq);
        return true;
      }
    }
    return false;
  }

  function confirmOutgoing(outgoing, seq) {
    var index = pending.indexOf(outgoing);
    if (index >= 0) {
      pending.splice(index, 1);
    }
    setOutgoingStatus(outgoing, 'sent');
    if (messages[seq] && messages[seq].element !== outgoing.element) {
      outgoing.element.remove(); // the live stream already showed it
      return;
    }
    outgoing.seq = seq;
    outgoing.element.setAttribute('data-seq', String(seq));
    messages[seq] = {seq: seq, role: 'CUSTOMER', text: outgoing.text, complete: true,
      element: outgoing.element, textEl: outgoing.element.querySelector('.smx-text')};
    insertInOrder(outgoing.element, seq);
  }

  function renderOutgoing(outgoing) {
    var element = el('div', {'class': 'smx-msg smx-customer'});
    element.appendChild(el('span', {'class': 'smx-author'}, t('you')));
    element.appendChild(el('div', {'class': 'smx-text'}, outgoing.text));
    var status = el('div', {'class': 'smx-status'});
    element.appendChild(status);
    log.insertBefore(element, null);
    scrollToEnd(true);
    return element;
  }

  function setOutgoingStatus(outgoing, status) {
    outgoing.status = status;
    var statusEl = outgoing.element.querySelector('.smx-status');
    statusEl.textContent = '';
    outgoing.element.classList.toggle('smx-failed', status === 'failed');
    outgoing.element.classList.toggle('smx-sending', status === 'sending');
    if (status === 'sending') {
      statusEl.textContent = t('sending');
    } else if (status === 'failed') {
      statusEl.appendChild(document.createTextNode(t('failed') + ' '));
      var retry = el('button', {'class': 'smx-link', type: 'button'}, t('retry'));
      retry.addEventListener('click', function () { send(outgoing); });
      statusEl.appendChild(retry);
    }
  }

  // Messages sit in sequence order; pending ones (no seq yet) stay at the end.
  function insertInOrder(element, seq) {
    var nodes = log.querySelectorAll('[data-seq]');
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i] !== element && Number(nodes[i].getAttribute('data-seq')) > seq) {
        log.insertBefore(element, nodes[i]);
        return;
      }
    }
    var firstPending = null;
    Array.prototype.forEach.call(log.querySelectorAll('.smx-customer:not([data-seq])'), function (node) {
      if (!firstPending && node !== element) {
        firstPending = node;
      }
    });
    log.insertBefore(element, firstPending);
  }

  // A state change is announced at once in the customer's language; when the server's own notice (a SYSTEM message)
  // follows, it takes the local notice's place instead of saying the same thing twice.
  var lastServerNoticeAt = 0;

  function notice(text) {
    if (Date.now() - lastServerNoticeAt < 3000) {
      return;
    }
    var element = el('div', {'class': 'smx-notice smx-local-notice'}, text);
    element.setAttribute('data-at', String(Date.now()));
    log.appendChild(element);
    scrollToEnd(false);
  }

  function claimLocalNotice() {
    var local = log.querySelector('.smx-local-notice');
    if (local && Date.now() - Number(local.getAttribute('data-at')) < 15000) {
      local.remove();
    }
  }

  // ---------------------------------------------------------------- e-mail when nobody can answer live

  var emailForm = null;

  function offerEmail(offered) {
    if (!offered || emailForm || !session) {
      return;
    }
    emailForm = el('form', {'class': 'smx-email', novalidate: ''});
    var label = el('label', {'class': 'smx-email-label'}, t('emailPrompt'));
    var field = el('input', {type: 'email', required: '', autocomplete: 'email', placeholder: t('emailPlaceholder'),
      'aria-label': t('emailPlaceholder')});
    var submit = el('button', {type: 'submit', 'class': 'smx-quiet'}, t('emailSend'));
    emailForm.appendChild(label);
    emailForm.appendChild(field);
    emailForm.appendChild(submit);
    emailForm.addEventListener('submit', function (event) {
      event.preventDefault();
      if (!field.checkValidity() || !field.value.trim()) {
        showError(null, null, t('emailInvalid'));
        return;
      }
      submit.disabled = true;
      api('POST', 'conversations/' + session.conversationId + '/contact', {email: field.value.trim()}).then(function () {
        hideAlert();
        emailForm.remove();
      }).catch(function (error) {
        submit.disabled = false;
        showError(error, null, t('emailInvalid'));
      });
    });
    log.appendChild(emailForm);
    scrollToEnd(true);
  }

  // ---------------------------------------------------------------- conversation state

  function changeState(next, quiet) {
    if (!next || next === state) {
      applyState();
      return;
    }
    state = next;
    if (!quiet) {
      if (next === 'ESCALATED') {
        notice(t('escalated'));
      } else if (next === 'AGENT') {
        notice(t('agentJoined'));
      } else if (next === 'CLOSED') {
        notice(t('closed'));
      }
    } else if (!log.querySelector('.smx-notice')) {
      // Restored after a reload: say who is answering when the history itself carries no notice.
      if (next === 'ESCALATED') {
        notice(t('escalated'));
      } else if (next === 'AGENT') {
        notice(t('agentJoined'));
      }
    }
    if (next !== 'BOT') {
      hideTyping();
    }
    if (next === 'CLOSED') {
      disconnect();
      dropClosed();
    }
    applyState();
    scrollToEnd(next === 'CLOSED');
  }

  // Nothing more can happen in a closed conversation: it leaves the browser's storage (a reload starts afresh),
  // and stays in memory only for the rating.
  function dropClosed() {
    if (session) {
      session.closed = true;
      writeSession();
    }
  }

  function applyState() {
    var subtitles = {BOT: 'subtitleBot', ESCALATED: 'subtitleEscalated', AGENT: 'subtitleAgent', CLOSED: 'subtitleClosed'};
    subtitleEl.textContent = t(subtitles[state] || 'subtitleBot');
    container.setAttribute('data-state', state);
    avatar.textContent = '';
    avatar.appendChild(icon(state === 'AGENT' ? 'person' : 'bot'));
    humanButton.hidden = state !== 'BOT';
    humanButton.disabled = false;
    endButton.hidden = !session || state === 'CLOSED';
    forgetButton.hidden = !session || state === 'CLOSED';
    var closed = state === 'CLOSED';
    input.disabled = closed;
    sendButton.disabled = closed;
    form.hidden = closed;
    restartButton.hidden = !closed;
    rating.element.hidden = !closed;
    if (closed) {
      rating.show(session && session.rated);
      // Nothing can be sent to an ended conversation: unsent messages stay visible, without a retry.
      pending.forEach(function (outgoing) {
        var retry = outgoing.element.querySelector('.smx-status button');
        if (retry) {
          retry.remove();
        }
      });
    }
  }

  function showTyping(who) {
    typingLabel.textContent = who === 'agent' ? t('typingAgent') : t('typingBot');
    typing.hidden = false;
    clearTimeout(typingTimer);
    // A stalled answer must not leave the dots spinning forever.
    typingTimer = setTimeout(hideTyping, 90000);
    scrollToEnd(false);
  }

  function hideTyping() {
    typing.hidden = true;
    clearTimeout(typingTimer);
  }

  // ---------------------------------------------------------------- rating

  function buildRating() {
    var element = el('form', {'class': 'smx-rating', hidden: '', novalidate: ''});
    var heading = el('p', {'class': 'smx-rating-title', id: 'smx-rating-title'}, t('rateTitle'));
    var group = el('div', {'class': 'smx-stars', role: 'radiogroup', 'aria-labelledby': 'smx-rating-title'});
    var score = 0;
    var stars = [];
    for (var n = 1; n <= 5; n++) {
      (function (value) {
        var star = el('button', {
          'class': 'smx-star', type: 'button', role: 'radio', 'aria-checked': 'false',
          'aria-label': t('star', {n: value}), 'data-score': String(value), tabindex: value === 1 ? '0' : '-1'
        });
        star.appendChild(icon('star'));
        star.addEventListener('click', function () { select(value, true); });
        star.addEventListener('keydown', function (event) {
          var step = {ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1}[event.key];
          if (step) {
            event.preventDefault();
            select(Math.min(5, Math.max(1, (score || value) + step)), true);
          }
        });
        stars.push(star);
        group.appendChild(star);
      })(n);
    }
    var commentId = 'smx-rating-comment';
    var commentLabel = el('label', {'for': commentId, 'class': 'smx-rating-label'}, t('rateComment'));
    var comment = el('textarea', {id: commentId, rows: '2', maxlength: '1000'});
    var error = el('p', {'class': 'smx-rating-error', role: 'alert'});
    var submitButton = el('button', {'class': 'smx-primary', type: 'submit'}, t('rateSend'));
    var thanks = el('p', {'class': 'smx-rating-thanks', role: 'status', hidden: ''}, t('rateThanks'));
    var body = el('div', {'class': 'smx-rating-body'});
    [heading, group, commentLabel, comment, error, submitButton].forEach(function (node) { body.appendChild(node); });
    element.appendChild(body);
    element.appendChild(thanks);

    function select(value, focus) {
      score = value;
      stars.forEach(function (star, index) {
        var on = index < value;
        star.classList.toggle('smx-on', on);
        star.setAttribute('aria-checked', index === value - 1 ? 'true' : 'false');
        star.setAttribute('tabindex', index === value - 1 ? '0' : '-1');
      });
      error.textContent = '';
      if (focus) {
        stars[value - 1].focus();
      }
    }

    element.addEventListener('submit', function (event) {
      event.preventDefault();
      if (!score) {
        error.textContent = t('rateMissing');
        stars[0].focus();
        return;
      }
      submitButton.disabled = true;
      var payload = {score: score};
      if (comment.value.trim()) {
        payload.comment = comment.value.trim();
      }
      api('POST', 'conversations/' + session.conversationId + '/rating', payload).then(function () {
        session.rated = true;
        writeSession();
        show(true);
        thanks.focus();
      }).catch(function (failure) {
        submitButton.disabled = false;
        error.textContent = failure.status === 429 ? describe(failure) : t('rateFailed');
      });
    });

    function show(rated) {
      body.hidden = !!rated;
      thanks.hidden = !rated;
      thanks.setAttribute('tabindex', '-1');
    }

    function reset() {
      score = 0;
      stars.forEach(function (star) {
        star.classList.remove('smx-on');
        star.setAttribute('aria-checked', 'false');
      });
      comment.value = '';
      error.textContent = '';
      submitButton.disabled = false;
      show(false);
    }

    return {element: element, show: show, reset: reset};
  }

  // ---------------------------------------------------------------- errors

  function showError(error, retry, fallbackText) {
    showAlert(describe(error, fallbackText), retry);
  }

  function describe(error, fallbackText) {
    if (error && error.status === 429) {
      return t('rateLimited', {s: error.retryAfter || 10});
    }
    if (error && error.status >= 500) {
      return t('serverError');
    }
    if (!navigator.onLine) {
      return t('offline');
    }
    if (error && error.status) {
      return fallbackText || t('serverError');
    }
    return fallbackText || t('networkError');
  }

  function showAlert(text, retry) {
    alertText.textContent = text;
    alertBar.hidden = false;
    alertAction = retry || null;
    alertRetry.hidden = !retry;
  }

  function hideAlert() {
    alertBar.hidden = true;
    alertAction = null;
  }

  function hideAlertIf(text) {
    if (!alertBar.hidden && alertText.textContent === text) {
      hideAlert();
    }
  }

  alertRetry.addEventListener('click', function () {
    var action = alertAction;
    hideAlert();
    if (action) {
      action();
    }
  });

  window.addEventListener('offline', function () { showAlert(t('offline')); });
  window.addEventListener('online', function () {
    hideAlertIf(t('offline'));
    if (session && !stream && state !== 'CLOSED') {
      disconnect();
      connect();
    }
  });

  // ---------------------------------------------------------------- HTTP

  function api(method, path, body, anonymous) {
    var headers = {'Accept': 'application/json'};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (!anonymous && session) {
      headers['Authorization'] = 'Bearer ' + session.token;
    }
    return fetch(apiBase + path, {
      method: method, headers: headers, cache: 'no-store', credentials: 'omit',
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) {
        throw httpError(response);
      }
      if (response.status === 204) {
        return null;
      }
      return response.text().then(function (text) { return text ? JSON.parse(text) : null; });
    });
  }

  function httpError(response) {
    var error = new Error('HTTP ' + response.status);
    error.status = response.status;
    var retryAfter = parseInt(response.headers.get('Retry-After'), 10);
    if (!isNaN(retryAfter)) {
      error.retryAfter = retryAfter;
    }
    return error;
  }

  // ---------------------------------------------------------------- storage

  function pickStorage() {
    var candidates = [];
    try { candidates.push(window.localStorage); } catch (ignored) { /* blocked by the browser's privacy settings */ }
    try { candidates.push(window.sessionStorage); } catch (ignored) { /* idem */ }
    for (var i = 0; i < candidates.length; i++) {
      try {
        var probe = storageKey + ':probe';
        candidates[i].setItem(probe, '1');
        candidates[i].removeItem(probe);
        return candidates[i];
      } catch (ignored) { /* full or disabled: try the next one */ }
    }
    var memory = {};
    return {
      getItem: function (key) { return memory.hasOwnProperty(key) ? memory[key] : null; },
      setItem: function (key, value) { memory[key] = String(value); },
      removeItem: function (key) { delete memory[key]; }
    };
  }

  function readSession() {
    try {
      var saved = JSON.parse(store.getItem(storageKey) || 'null');
      return saved && saved.conversationId && saved.token ? saved : null;
    } catch (ignored) {
      return null;
    }
  }

  function writeSession() {
    if (session && !session.closed) {
      store.setItem(storageKey, JSON.stringify(session));
    } else {
      store.removeItem(storageKey);
      store.removeItem(storageKey + ':open');
    }
  }

  function remember(name, value) {
    try {
      window.sessionStorage.setItem(storageKey + ':' + name, JSON.stringify(value));
    } catch (ignored) { /* remembering the open panel is a comfort, not a need */ }
  }

  function recall(name) {
    try {
      return JSON.parse(window.sessionStorage.getItem(storageKey + ':' + name) || 'null');
    } catch (ignored) {
      return null;
    }
  }

  // ---------------------------------------------------------------- helpers

  function el(tag, attributes, text) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      element.setAttribute(name, attributes[name]);
    });
    if (text != null) {
      element.textContent = text;
    }
    return element;
  }


  function icon(name) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'smx-icon smx-icon-' + name);
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('d', ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  // Follows new messages unless the customer has scrolled up to read something earlier.
  var followEnd = true;
  log.addEventListener('scroll', function () {
    followEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  });

  function scrollToEnd(force) {
    if (force || followEnd) {
      log.scrollTop = log.scrollHeight;
      followEnd = true;
    }
  }

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  function safeColor(value) {
    if (!value || !window.CSS || !CSS.supports('color', value)) {
      return null;
    }
    return value;
  }

  // Text on the accent colour: white when it reaches WCAG AA contrast (4.5:1), else near-black.
  function readableOn(color) {
    var probe = document.createElement('span');
    probe.style.color = color;
    probe.style.display = 'none';
    document.documentElement.appendChild(probe);
    var rgb = getComputedStyle(probe).color.match(/[\d.]+/g) || ['0', '0', '0'];
    probe.remove();
    var channels = rgb.slice(0, 3).map(function (c) {
      var v = Number(c) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    var luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
    return 1.05 / (luminance + 0.05) >= 4.5 ? '#ffffff' : '#111827';
  }

  /** For the embedding site, e.g. a "Chatea con nosotros" button: SoporteMax.open(), SoporteMax.close(). */
  window.SoporteMax = Object.freeze({
    open: function () { if (!isOpen) { open(); } },
    close: function () { if (isOpen) { close(); } }
  });

  restore();
})();
