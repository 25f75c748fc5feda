// A Telegram Bot API emulator for the end-to-end tests.
//
// telegram-test-api (from the npm registry) emulates getMe, getUpdates, sendMessage,
// answerCallbackQuery, editMessage*, deleteMessage, setWebhook and deleteWebhook, plus a
// "client" API through which a test plays the user (POST /sendMessage, /sendCommand,
// /sendCallback, /getUpdates, /getUpdatesHistory). This wrapper keeps all of that and adds
// what the bot also uses and real Telegram does:
//   - long polling (getUpdates holds the request until an update arrives or `timeout`);
//   - a complete getMe (the bot id is the token's number), dates in seconds in sent
//     messages (the package returns milliseconds);
//   - chat_instance in callback queries; the webhook secret header;
//   - sendVenue, sendLocation, sendChatAction, set/get/deleteMyCommands,
//     set/getMyDescription, set/getMyShortDescription;
// and a few test controls under /_test/ (not Bot API):
//   POST /_test/fail        {method, count, status, retry_after}  next calls fail like Telegram
//   POST /_test/redeliver   {token, update_id}   deliver an update again (at-least-once delivery)
//   GET  /_test/deliveries  ?update_id=N         how many times getUpdates delivered it
//   POST /_test/age         {token, seconds}     queued messages look `seconds` older (their
//                                                `date`), as after that long a downtime
//   GET  /_test/calls       ?token=T             every Bot API call (method, time, parameters)
//   GET  /_test/webhook     ?token=T             webhook deliveries (update_id, HTTP status)
//
// Usage: node server.js <port>   (listens on 127.0.0.1, prints "listening <port>")
'use strict';

const http = require('http');
const express = require('express');
const TelegramServer = require('telegram-test-api');

const MAX_POLL_SECONDS = 50;
// form-encoded Bot API parameters that carry JSON (the package parses only the first two)
const JSON_FIELDS = ['reply_markup', 'entities', 'link_preview_options', 'reply_parameters'];
const USER_EVENTS = ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery', 'Redelivered'];

const originalFormatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = (update) => {
  const formatted = originalFormatUpdate(update);
  if (formatted.callback_query) {
    const query = update.callbackQuery;
    const chatId = query.message && query.message.chat ? query.message.chat.id : query.from.id;
    formatted.callback_query.chat_instance = String(query.chat_instance || chatId);
  }
  return formatted;
};

class Emulator extends TelegramServer {
  constructor(config) {
    super(config);
    this.setMaxListeners(0);
    this.deliveries = new Map();
    this.calls = [];
    this.failures = new Map();
    this.webhookLog = [];
    this.profile = new Map();
  }

  addBotMessage(rawMessage, botToken) {
    for (const field of JSON_FIELDS) {
      if (typeof rawMessage[field] === 'string') rawMessage[field] = JSON.parse(rawMessage[field]);
    }
    const message = super.addBotMessage(rawMessage, botToken);
    message.date = Math.floor(message.date / 1000);
    return message;
  }

  async addUserUpdate(update) {
    const webhook = this.webhooks[update.botToken];
    if (!webhook) {
      await super.addUserUpdate(update);
      return;
    }
    const headers = { 'Content-Type': 'application/json' };
    if (webhook.secret_token) {
      headers['X-Telegram-Bot-Api-Secret-Token'] = webhook.secret_token;
    }
    let status = 0;
    try {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(TelegramServer.formatUpdate(update)),
      });
      status = response.status;
    } catch (error) {
      status = -1;
    }
    this.webhookLog.push({ token: update.botToken, update_id: update.updateId, status });
    this.updateId++;
  }

  takeUpdates(token) {
    const updates = this.getUpdates(token);
    for (const update of updates) {
      this.deliveries.set(update.update_id, (this.deliveries.get(update.update_id) || 0) + 1);
    }
    return updates;
  }

  waitForUserUpdate(seconds, response) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        for (const event of USER_EVENTS) this.off(event, done);
        response.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, seconds * 1000);
      for (const event of USER_EVENTS) this.on(event, done);
      response.on('close', done);  // the bot went away (stopping)
    });
  }
}

function parameter(req, name) {
  if (req.body && req.body[name] !== undefined) return req.body[name];
  return req.query[name];
}

function json(value) {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

const port = Number(process.argv[2] || 9000);
const server = new Emulator({ port, host: '127.0.0.1', storeTimeout: 3600 });
const app = express();
app.use(express.json({ limit: '1mb' }));
app.use(express.urlencoded({ extended: true, limit: '1mb' }));

// every Bot API call is recorded; planned failures answer like Telegram does
app.all('/bot:token/:method', (req, res, next) => {
  const { token, method } = req.params;
  server.calls.push({ token, method, at: Date.now() / 1000, params: { ...req.query, ...req.body } });
  const failure = server.failures.get(method);
  if (failure && failure.count > 0) {
    failure.count -= 1;
    const body = { ok: false, error_code: failure.status, description: failure.description };
    if (failure.retry_after) body.parameters = { retry_after: failure.retry_after };
    res.status(failure.status).json(body);
    return;
  }
  next();
});

app.all('/bot:token/getUpdates', async (req, res) => {
  const { token } = req.params;
  let updates = server.takeUpdates(token);
  const timeout = Math.min(Number(parameter(req, 'timeout') || 0), MAX_POLL_SECONDS);
  if (!updates.length && timeout > 0) {
    await server.waitForUserUpdate(timeout, res);
    updates = server.takeUpdates(token);
  }
  if (!res.writableEnded && !res.destroyed) res.json({ ok: true, result: updates });
});

// like Telegram: the bot's id is the number before the colon of its token
app.all('/bot:token/getMe', (req, res) => {
  const id = Number(req.params.token.split(':')[0]) || 666;
  res.json({
    ok: true,
    result: {
      id,
      is_bot: true,
      first_name: 'Test First name',
      username: 'TestNameBot',
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    },
  });
});

function sendPlace(req, res) {
  const message = server.addBotMessage({ ...req.body }, req.params.token);
  const latitude = Number(req.body.latitude);
  const longitude = Number(req.body.longitude);
  message.location = { latitude, longitude };
  if (req.body.title !== undefined) {
    message.venue = { location: message.location, title: req.body.title, address: req.body.address };
  }
  res.json({ ok: true, result: message });
}
app.all('/bot:token/sendVenue', sendPlace);
app.all('/bot:token/sendLocation', sendPlace);

app.all('/bot:token/sendChatAction', (req, res) => res.json({ ok: true, result: true }));

function profileKey(req, what) {
  const scope = parameter(req, 'scope') ? JSON.stringify(json(parameter(req, 'scope'))) : 'default';
  return `${req.params.token}|${what}|${scope}|${parameter(req, 'language_code') || ''}`;
}
app.all('/bot:token/setMyCommands', (req, res) => {
  server.profile.set(profileKey(req, 'commands'), json(parameter(req, 'commands')));
  res.json({ ok: true, result: true });
});
app.all('/bot:token/getMyCommands', (req, res) => {
  res.json({ ok: true, result: server.profile.get(profileKey(req, 'commands')) || [] });
});
app.all('/bot:token/deleteMyCommands', (req, res) => {
  server.profile.delete(profileKey(req, 'commands'));
  res.json({ ok: true, result: true });
});
for (const [what, field] of [['Description', 'description'], ['ShortDescription', 'short_description']]) {
  app.all(`/bot:token/setMy${what}`, (req, res) => {
    server.profile.set(profileKey(req, field), parameter(req, field) || '');
    res.json({ ok: true, result: true });
  });
  app.all(`/bot:token/getMy${what}`, (req, res) => {
    res.json({ ok: true, result: { [field]: server.profile.get(profileKey(req, field)) || '' } });
  });
}

app.post('/_test/fail', (req, res) => {
  const { method, count, status, retry_after: retryAfter } = req.body;
  const description = Number(status) === 429
    ? `Too Many Requests: retry after ${retryAfter}`
    : 'Bad Gateway';
  server.failures.set(method, {
    count: Number(count),
    status: Number(status),
    retry_after: retryAfter ? Number(retryAfter) : undefined,
    description,
  });
  res.json({ ok: true });
});
app.post('/_test/redeliver', (req, res) => {
  const update = server.storage.userMessages.find(
    (u) => u.botToken === req.body.token && u.updateId === Number(req.body.update_id),
  );
  if (!update) {
    res.status(404).json({ ok: false, description: 'no such update' });
    return;
  }
  update.isRead = false;
  server.emit('Redelivered');
  res.json({ ok: true });
});
app.post('/_test/age', (req, res) => {
  const seconds = Number(req.body.seconds);
  let aged = 0;
  for (const update of server.storage.userMessages) {
    if (update.botToken !== req.body.token || update.isRead || !update.message) continue;
    update.message.date = Number(update.message.date) - seconds;
    aged += 1;
  }
  res.json({ ok: true, result: aged });
});
app.get('/_test/deliveries', (req, res) => {
  res.json({ ok: true, result: server.deliveries.get(Number(req.query.update_id)) || 0 });
});
app.get('/_test/calls', (req, res) => {
  res.json({ ok: true, result: server.calls.filter((c) => c.token === req.query.token) });
});
app.get('/_test/webhook', (req, res) => {
  res.json({ ok: true, result: server.webhookLog.filter((w) => w.token === req.query.token) });
});

app.use(server.webServer);

const listener = http.createServer(app);
listener.listen(port, '127.0.0.1', () => {
  server.started = true;
  process.stdout.write(`listening ${port}\n`);
});
const stop = () => {
  listener.close(() => process.exit(0));
  listener.closeAllConnections();  // held long polls too
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
