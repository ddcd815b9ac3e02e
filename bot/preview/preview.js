/*
 * The local Teams chat preview: shows one person's personal chat with the bot as Teams would.
 * Activities are sent to /api/messages exactly as Teams sends them; what the bot sends back to
 * the Bot Connector is read from the local connector stand-in under ./connector/.
 */
/* global AdaptiveCards */
(() => {
  const chat = document.getElementById('chat');
  const select = document.getElementById('person');
  const status = document.getElementById('status');
  const serviceUrl = new URL('./connector/', window.location.href).href;
  const bot = { id: '28:social-media-checks-local', name: 'Social Media Checks' };
  let person = null;
  let cursor = 0;
  let timer = null;
  const shown = new Map();

  function say(text) {
    status.textContent = text;
    status.classList.add('shown');
    setTimeout(() => status.classList.remove('shown'), 4000);
  }

  function conversationId() {
    return `a:preview-${person.aadObjectId}`;
  }

  function activity(type, extra) {
    return {
      type,
      id: `preview-${Date.now()}-${Math.random().toString(16).slice(2)}`,
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl,
      from: { id: `29:${person.aadObjectId}`, name: person.displayName, aadObjectId: person.aadObjectId },
      recipient: bot,
      conversation: { id: conversationId(), conversationType: 'personal', tenantId: 'local' },
      channelData: { tenant: { id: 'local' } },
      locale: 'en-GB',
      ...extra,
    };
  }

  async function post(body) {
    const response = await fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new Error(`The bot answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }

  function renderCard(content, activityId) {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = new AdaptiveCards.HostConfig({ fontFamily: 'Segoe UI, system-ui, sans-serif', supportsInteractivity: true });
    card.onExecuteAction = (action) => execute(action, activityId);
    card.parse(content);
    return card.render();
  }

  async function execute(action, activityId) {
    if (action instanceof AdaptiveCards.OpenUrlAction) {
      window.open(action.url, '_blank', 'noopener');
      return;
    }
    if (!(action instanceof AdaptiveCards.ExecuteAction)) return;
    try {
      const reply = await post(activity('invoke', { name: 'adaptiveCard/action', replyToId: activityId, value: { action: { type: 'Action.Execute', id: action.id, verb: action.verb, data: action.data }, trigger: 'manual' } }));
      if (reply && reply.type === 'application/vnd.microsoft.card.adaptive') {
        // Teams replaces the card in place with the one the bot answers.
        draw({ id: activityId, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: reply.value }] }, true);
      } else if (reply && reply.type === 'application/vnd.microsoft.activity.message') {
        say(reply.value);
      }
      await poll();
    } catch (error) {
      say(error.message);
    }
  }

  function draw(a, replaced) {
    let item = shown.get(a.id);
    if (!item) {
      item = document.createElement('li');
      shown.set(a.id, item);
      chat.appendChild(item);
    }
    const mine = Boolean(a.from && a.from.id === `29:${person.aadObjectId}`);
    item.className = mine ? 'user' : 'bot';
    item.replaceChildren();
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = `${mine ? person.displayName : bot.name}${a.updated || replaced ? ' · updated' : ''}`;
    item.appendChild(meta);
    const bubble = document.createElement('div');
    bubble.className = 'bubble';
    if (a.text) {
      const p = document.createElement('p');
      p.textContent = a.text;
      bubble.appendChild(p);
    }
    for (const attachment of a.attachments || []) {
      if (attachment.contentType === 'application/vnd.microsoft.card.adaptive') bubble.appendChild(renderCard(attachment.content, a.id));
    }
    item.appendChild(bubble);
    item.scrollIntoView({ block: 'end' });
  }

  async function poll() {
    if (!person) return;
    const who = person;
    const response = await fetch(`./connector/v3/conversations/${encodeURIComponent(conversationId())}/activities?after=${cursor}`);
    if (!response.ok || who !== person) return;
    const feed = await response.json();
    cursor = feed.cursor;
    feed.activities.forEach((a) => draw(a, false));
    return feed;
  }

  async function choose(id, people) {
    person = people.find((p) => p.id === id) || null;
    chat.replaceChildren();
    shown.clear();
    cursor = 0;
    if (timer) clearInterval(timer);
    if (!person) return;
    const feed = await poll();
    // First time this person opens the chat: install the app for them, as Teams would.
    if (feed && feed.activities.length === 0) {
      await post(activity('installationUpdate', { action: 'add' }));
      await poll();
    }
    timer = setInterval(() => poll().catch((error) => say(error.message)), 1500);
  }

  document.getElementById('compose').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = document.getElementById('text');
    const text = input.value.trim();
    if (!text || !person) return;
    input.value = '';
    const message = activity('message', { text, textFormat: 'plain' });
    draw({ ...message, id: message.id }, false);
    try {
      await post(message);
      await poll();
    } catch (error) {
      say(error.message);
    }
  });

  fetch('/api/dev/users')
    .then((r) => r.json())
    .then((people) => {
      select.replaceChildren(new Option('Choose a person…', ''), ...people.map((p) => new Option(`${p.displayName} (${p.roles.join(', ')})`, p.id)));
      select.addEventListener('change', () => choose(select.value, people).catch((error) => say(error.message)));
    })
    .catch((error) => say(`Could not load the demo people: ${error.message}`));
})();
