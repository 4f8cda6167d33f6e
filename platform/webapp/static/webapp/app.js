/* Progressive enhancement of the volunteer app (the pages work without it):
   1. registers the service worker (offline shell);
   2. the visit log's offline queue: a visit submitted without a connection is kept in IndexedDB
      and sent when the connection returns. Each visit carries the UUID the form was given, which
      the server uses as an idempotency key, so a replay never logs it twice;
   3. the web-push opt-in (settings page).
   Hand-written rather than a library: ~150 lines, and the page budget is 100 KB. */
(function () {
  "use strict";
  var DB_NAME = "entraide-offline", STORE = "visits";
  var status = function (text) { var el = document.getElementById("offline-queue-status"); if (el) el.textContent = text; };
  var t = function (key) { var el = document.getElementById("app-strings"); try { return JSON.parse(el.textContent)[key] || key; } catch (e) { return key; } };

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () { navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {}); });
  }

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function withStore(mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result = fn(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  var queue = {
    add: function (item) { return withStore("readwrite", function (s) { return s.put(item); }); },
    all: function () { return withStore("readonly", function (s) { return s.getAll(); }); },
    remove: function (key) { return withStore("readwrite", function (s) { return s.delete(key); }); }
  };

  function send(item) {
    var body = new URLSearchParams(item.fields);
    body.delete("csrfmiddlewaretoken");
    return fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    });
  }

  var flushing = false;
  function flush() {
    if (flushing || !("indexedDB" in window)) return Promise.resolve();
    flushing = true;
    return queue.all().then(function (items) {
      var chain = Promise.resolve(), sent = 0;
      items.forEach(function (item) {
        chain = chain.then(function () {
          return send(item).then(function (response) {
            // 2xx: logged (or already logged: same key). 400/404: it can never succeed; drop it.
            if (response.ok || response.status === 400 || response.status === 404) { sent += response.ok ? 1 : 0; return queue.remove(item.key); }
          });
        });
      });
      return chain.then(function () { return queue.all(); }).then(function (left) {
        if (sent) status(t("sent").replace("{n}", sent));
        else if (left.length) status(t("waiting").replace("{n}", left.length));
      });
    }).catch(function () {}).then(function () { flushing = false; document.documentElement.dataset.queueFlushed = "1"; });
  }
  window.entraideFlushQueue = flush;
  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", flush);

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-offline-queue='visit']");
    if (!form || !("indexedDB" in window) || !window.fetch) return;
    var keyField = form.querySelector("input[name='idempotency_key']");
    if (keyField) keyField.value = uuid4();
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      event.preventDefault();
      var data = new FormData(form);
      if (submitter && submitter.name) data.set(submitter.name, submitter.value);
      var fields = {};
      data.forEach(function (value, name) { fields[name] = value; });
      var item = { key: fields.idempotency_key, url: form.action || window.location.href, fields: fields, at: Date.now() };
      var fallback = function () {  // the server's own error page (validation errors)
        var hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = submitter ? submitter.name : "mood"; hidden.value = submitter ? submitter.value : "";
        form.appendChild(hidden); HTMLFormElement.prototype.submit.call(form);
      };
      var keep = function () {
        return queue.add(item).then(function () {
          form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
          status(t("queued"));
        });
      };
      if (!navigator.onLine) { keep(); return; }
      send(item).then(function (response) {
        if (response.ok) { window.location.assign("/?logged=1"); } else { fallback(); }
      }, keep);
    });
  });

  // Onboarding: a point from the phone's location instead of an address (rounded to ~100 m).
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("use-location");
    if (!button || !navigator.geolocation) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(3);
        document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(3);
        document.getElementById("location-status").textContent = t("located");
      }, function () { document.getElementById("location-status").textContent = t("not_located"); });
    });
  });

  // Signing out forgets the pages the service worker kept (a shared phone shows nothing after).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[action$='/accounts/logout/']").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!("caches" in window) || form.dataset.cleared) return;
        event.preventDefault();
        form.dataset.cleared = "1";
        caches.keys().then(function (keys) {
          return Promise.all(keys.filter(function (k) { return k.indexOf("entraide-") === 0; }).map(function (k) { return caches.delete(k); }));
        }).catch(function () {}).then(function () { HTMLFormElement.prototype.submit.call(form); });
      });
    });
  });

  // Web push opt-in (settings page).
  document.addEventListener("DOMContentLoaded", function () {
    var section = document.getElementById("push-section"), button = document.getElementById("push-enable");
    if (!section || !button || !section.dataset.vapidKey || !section.dataset.subscribeUrl) return;
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var raw = section.dataset.vapidKey.replace(/-/g, "+").replace(/_/g, "/");
      raw += "===".slice((raw.length + 3) % 4);
      var key = Uint8Array.from(atob(raw), function (c) { return c.charCodeAt(0); });
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") throw new Error("denied");
        return navigator.serviceWorker.ready;
      }).then(function (registration) {
        return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      }).then(function (subscription) {
        return sendSubscription(subscription.toJSON());
      }).catch(function () { document.getElementById("push-state").textContent = t("push_failed"); });
    });
  });

  // Registers a PushSubscription (its JSON) with the worker's endpoint for this user.
  function sendSubscription(json) {
    var section = document.getElementById("push-section");
    return fetch(section.dataset.subscribeUrl, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(json),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      document.getElementById("push-state").textContent = response.ok ? t("push_on") : t("push_failed");
      return response.status;
    });
  }
  window.entraideSendSubscription = sendSubscription;
})();
