// The console's pages: templates rendered by net/html (every value escaped
// there), plain HTML forms that work without JavaScript; a small script
// adds copy buttons.
#include "api/console_pages.hpp"

#include <cstdio>
#include <ctime>

namespace gw::api {

using net::html;
using net::render_html;

namespace {

constexpr std::string_view layout = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · bbbgate</title>
<link rel="stylesheet" href="/console/style.css">
</head>
<body>
<header><p class="brand">bbbgate</p><h1>{{title}}</h1></header>
<main>
{{body}}
</main>
<script src="/console/console.js"></script>
</body>
</html>
)";

constexpr std::string_view login_body = R"(
{{message}}
<form method="post" action="/console/login" class="card">
<p><label for="tenant">Customer account</label>
<input id="tenant" name="tenant" autocomplete="username" required></p>
<p><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form>
)";

constexpr std::string_view overview_body = R"(
{{done}}
<nav aria-label="Sections"><a href="#api">Integration API</a> <a href="#defaults">Defaults</a> <a href="#usage">Usage</a> <a href="#history">History</a></nav>
<section id="api" class="card" aria-labelledby="api-h">
<h2 id="api-h">Integration API</h2>
<p>The Integration API is <strong id="api-state">{{state}}</strong>.</p>
<form method="post" action="/console/api">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="enabled" value="{{toggle_value}}">
<button type="submit">{{toggle_label}}</button>
</form>
{{credentials}}
</section>
<section id="defaults" class="card" aria-labelledby="defaults-h">
<h2 id="defaults-h">Defaults for new meetings</h2>
<p>Used when a create leaves them out. Each meeting reserves <em>maxParticipants</em> connections for <em>duration</em> minutes.</p>
<form method="post" action="/console/defaults">
<input type="hidden" name="csrf" value="{{csrf}}">
<p><label for="max_participants">maxParticipants</label>
<input id="max_participants" name="max_participants" type="number" min="1" value="{{max_participants}}" required></p>
<p><label for="duration_minutes">duration (minutes)</label>
<input id="duration_minutes" name="duration_minutes" type="number" min="1" value="{{duration_minutes}}" required></p>
<p><input id="chat_texts" name="chat_texts" type="checkbox" value="on" {{chat_checked}}>
<label for="chat_texts">Put the platform's default chat texts before your own (unless a create sets <code>deactivateBbbserverDefaultChatTexts</code>)</label></p>
<dl class="texts"><dt>Welcome text</dt><dd>{{welcome}}</dd><dt>Moderator text</dt><dd>{{moderator_only}}</dd></dl>
<p><button type="submit">Save defaults</button></p>
</form>
</section>
<section id="usage" class="card" aria-labelledby="usage-h">
<h2 id="usage-h">Usage now</h2>
<dl class="figures">
<dt>Subscription</dt><dd id="subscription">{{subscription}}</dd>
<dt>Reserved</dt><dd id="reserved">{{reserved}}</dd>
<dt>Lapsed (may be ended to make room)</dt><dd id="lapsed">{{lapsed}}</dd>
<dt>Free</dt><dd id="free">{{free}}</dd>
</dl>
{{meetings}}
<form method="get" action="/console/" class="probe">
<p><label for="probe">What would a create with maxParticipants = N do now?</label>
<span class="copy"><input id="probe" name="probe" type="number" min="1" value="{{probe_value}}" required><button type="submit">Check</button></span></p>
</form>
{{probe}}
</section>
<section id="history" class="card" aria-labelledby="history-h">
<h2 id="history-h">History (last 30 days, UTC)</h2>
{{chart}}
{{history}}
<p><a href="/console/usage.csv">Download the last 90 days as CSV</a></p>
</section>
<form method="post" action="/console/logout" class="signout">
<input type="hidden" name="csrf" value="{{csrf}}">
<button type="submit">Sign out</button>
</form>
)";

constexpr std::string_view credentials_on = R"(
<h3>Credentials</h3>
<p><label for="api-url">API URL (BigBlueButton server URL)</label>
<span class="copy"><input id="api-url" readonly value="{{api_url}}"><button type="button" class="copy-btn" data-copy="api-url" hidden>Copy</button></span></p>
{{secrets}}
<form method="post" action="/console/rotate">
<input type="hidden" name="csrf" value="{{csrf}}">
<button type="submit">Add a new secret</button>
</form>
<p class="hint">Rotation: add a new secret, move your applications to it (both work meanwhile), then remove the old one.</p>
<h3>Connect your application</h3>
<dl class="connect">
<dt>Moodle</dt><dd>Site administration &gt; Plugins &gt; BigBlueButton: <em>BigBlueButton server URL</em> = the API URL, <em>BigBlueButton shared secret</em> = the secret.</dd>
<dt>Greenlight</dt><dd><code>BIGBLUEBUTTON_ENDPOINT={{api_url}}api/</code> and <code>BIGBLUEBUTTON_SECRET=</code> the secret.</dd>
<dt>Nextcloud</dt><dd>Administration settings &gt; BigBlueButton: <em>API URL</em> = the API URL, <em>API secret</em> = the secret.</dd>
</dl>
)";

constexpr std::string_view secret_row = R"(
<div class="secret"><label for="secret-{{n}}">Secret {{n}}</label>
<span class="copy"><input id="secret-{{n}}" readonly value="{{secret}}"><button type="button" class="copy-btn" data-copy="secret-{{n}}" hidden>Copy</button></span>
{{remove}}</div>
)";

constexpr std::string_view remove_form =
  R"(<form method="post" action="/console/secret/remove" class="inline">
<input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="secret" value="{{secret}}">
<button type="submit" aria-label="Remove secret {{n}}">Remove</button></form>)";

constexpr std::string_view meetings_table = R"(
<div class="scroll"><table>
<caption>Running meetings</caption>
<thead><tr><th scope="col">Name</th><th scope="col">meetingID</th><th scope="col">Size</th><th scope="col">Booking</th><th scope="col">Participants now</th></tr></thead>
<tbody>{{rows}}</tbody>
</table></div>
)";

constexpr std::string_view meeting_row_tmpl =
  R"(<tr><td>{{name}}</td><td>{{id}}</td><td>{{size}}</td><td>{{booking}}</td><td>{{participants}}</td></tr>)";

constexpr std::string_view history_table = R"(
<div class="scroll"><table>
<caption>Days with activity</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Connection-minutes reserved</th><th scope="col">Peak</th><th scope="col">Meetings</th><th scope="col">Preemptions</th><th scope="col">Refused creates</th><th scope="col">Participant-minutes</th></tr></thead>
<tbody>{{rows}}</tbody>
</table></div>
)";

constexpr std::string_view history_row =
  R"(<tr><td>{{date}}</td><td>{{minutes}}</td><td>{{peak}}</td><td>{{meetings}}</td><td>{{preemptions}}</td><td>{{refused}}</td><td>{{participants}}</td></tr>)";

std::string rounded(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string probe_text(int64_t n, const create_probe& p) {
  auto size = "A create with maxParticipants=" + std::to_string(n);
  if (p.verdict == "fits")
    return size + " fits now.";
  if (p.verdict == "preempts") {
    std::string ids;
    for (const auto& id : p.preempt)
      ids += (ids.empty() ? "" : ", ") + id;
    return size + " fits after ending these lapsed meetings: " + ids + ".";
  }
  if (p.verdict == "maxParticipantsExceedsSubscription")
    return size
           + " is refused: it is larger than the whole subscription "
             "(maxParticipantsExceedsSubscription).";
  return size
         + " is refused: not enough free or lapsed connections "
           "(notEnoughConnections).";
}

std::string utc(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string done_text(const std::string& key) {
  if (key == "api-on")
    return "The Integration API is on.";
  if (key == "api-off")
    return "The Integration API is off: every API call is refused.";
  if (key == "rotated")
    return "A new secret was added. Both work until you remove the old one.";
  if (key == "removed")
    return "The secret was removed.";
  if (key == "defaults")
    return "Defaults saved. They apply to the next create.";
  if (key == "invalid")
    return "That was not saved: check the values.";
  return {};
}

} // namespace

namespace {

constexpr std::string_view operator_login_body = R"(
{{message}}
<form method="post" action="/console/operator/login" class="card">
<p><label for="password">Admin token or operator password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form>
<p><a href="/console/">Customer sign-in</a></p>
)";

constexpr std::string_view operator_body = R"(
{{done}}
<section class="card" aria-labelledby="tenants-h">
<h2 id="tenants-h">Tenants</h2>
<div class="scroll"><table>
<caption>Use of their subscriptions now</caption>
<thead><tr><th scope="col">Tenant</th><th scope="col">API</th><th scope="col">Subscription</th><th scope="col">Reserved</th><th scope="col">Lapsed</th><th scope="col">Free</th><th scope="col">Used</th><th scope="col">Meetings</th></tr></thead>
<tbody>{{tenants}}</tbody>
</table></div>
</section>
<section class="card" aria-labelledby="nodes-h">
<h2 id="nodes-h">Nodes</h2>
<div class="scroll"><table>
<caption>State, health and load</caption>
<thead><tr><th scope="col">Node</th><th scope="col">State</th><th scope="col">Health</th><th scope="col">Capacity</th><th scope="col">Committed</th><th scope="col">Participants now</th><th scope="col">Meetings</th><th scope="col">Change state</th></tr></thead>
<tbody>{{nodes}}</tbody>
</table></div>
</section>
<form method="post" action="/console/logout" class="signout">
<input type="hidden" name="csrf" value="{{csrf}}">
<button type="submit">Sign out</button>
</form>
)";

constexpr std::string_view operator_tenant_row =
  R"(<tr><td>{{id}}</td><td>{{api}}</td><td>{{connections}}</td><td>{{reserved}}</td><td>{{lapsed}}</td><td>{{free}}</td><td>{{used}}</td><td>{{meetings}}</td></tr>)";

constexpr std::string_view operator_node_row =
  R"(<tr><td>{{id}}</td><td>{{state}}</td><td>{{health}}</td><td>{{capacity}}</td><td>{{committed}}</td><td>{{participants}}</td><td>{{meetings}}</td><td>
<form method="post" action="/console/operator/node" class="inline">
<input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="node" value="{{id}}">
<label for="state-{{id}}" class="sr">State of {{id}}</label>
<select id="state-{{id}}" name="state">{{options}}</select>
<button type="submit">Set</button></form></td></tr>)";

} // namespace

html console_operator_login_page(const std::string& message) {
  auto msg = message.empty()
               ? html{}
               : render_html(R"(<p class="alert" role="alert">{{m}}</p>)",
                             {{"m", message}});
  auto body = render_html(operator_login_body, {{"message", msg}});
  return render_html(
    layout, {{"title", std::string{"Operator sign-in"}}, {"body", body}});
}

html console_operator_page(const operator_overview& o) {
  html tenants;
  for (const auto& t : o.tenants) {
    std::string reserved = "-", lapsed = "-", free = "-", used = "-",
                meetings = "-";
    if (t.stats) {
      const auto& s = *t.stats;
      reserved = std::to_string(s.committed - s.lapsed_connections);
      lapsed = std::to_string(s.lapsed_connections);
      free = std::to_string(
        std::max<int64_t>(0, t.tenant.connections - s.committed));
      used = std::to_string(s.committed * 100
                            / std::max<long long>(1, t.tenant.connections))
             + "%";
      meetings = std::to_string(s.meetings);
    }
    tenants.text +=
      render_html(operator_tenant_row,
                  {{"id", t.tenant.id},
                   {"api", std::string{t.tenant.api_enabled ? "on" : "off"}},
                   {"connections", std::to_string(t.tenant.connections)},
                   {"reserved", reserved},
                   {"lapsed", lapsed},
                   {"free", free},
                   {"used", used},
                   {"meetings", meetings}})
        .text;
  }
  html nodes;
  for (const auto& n : o.nodes) {
    html options;
    for (const char* st : {"enabled", "cordoned", "draining", "disabled"})
      options.text +=
        render_html(R"(<option value="{{v}}"{{sel}}>{{v}}</option>)",
                    {{"v", std::string{st}},
                     {"sel", html{n.state == st ? " selected" : ""}}})
          .text;
    auto p = o.participants.find(n.id);
    nodes.text +=
      render_html(operator_node_row,
                  {{"id", n.id},
                   {"state", n.state},
                   {"health", std::string{n.online ? "online" : "offline"}},
                   {"capacity", std::to_string(n.capacity)},
                   {"committed", std::to_string(n.committed)},
                   {"participants",
                    std::to_string(p == o.participants.end() ? 0 : p->second)},
                   {"meetings", std::to_string(n.meetings)},
                   {"csrf", o.csrf},
                   {"options", options}})
        .text;
  }
  std::string done;
  if (o.done == "node")
    done = "The node's state was changed.";
  else if (o.done == "invalid")
    done = "That was not changed.";
  auto body = render_html(
    operator_body,
    {{"done", done.empty()
                ? html{}
                : render_html(R"(<p class="done" role="status">{{m}}</p>)",
                              {{"m", done}})},
     {"tenants", tenants},
     {"nodes", nodes},
     {"csrf", o.csrf}});
  return render_html(layout,
                     {{"title", std::string{"Operator"}}, {"body", body}});
}

html console_login_page(const std::string& message) {
  auto msg = message.empty()
               ? html{}
               : render_html(R"(<p class="alert" role="alert">{{m}}</p>)",
                             {{"m", message}});
  auto body = render_html(login_body, {{"message", msg}});
  return render_html(layout,
                     {{"title", std::string{"Sign in"}}, {"body", body}});
}

html console_overview_page(const console_overview& o) {
  const auto& t = o.tenant;
  html credentials;
  if (t.api_enabled) {
    html secrets;
    for (std::size_t i = 0; i < t.secrets.size(); ++i) {
      auto n = std::to_string(i + 1);
      auto remove =
        t.secrets.size() > 1 ? render_html(
          remove_form, {{"csrf", o.csrf}, {"secret", t.secrets[i]}, {"n", n}})
                             : html{};
      secrets.text +=
        render_html(secret_row,
                    {{"n", n}, {"secret", t.secrets[i]}, {"remove", remove}})
          .text;
    }
    credentials = render_html(
      credentials_on,
      {{"api_url", o.api_url}, {"secrets", secrets}, {"csrf", o.csrf}});
  } else {
    credentials = html{"<p>Credentials are shown only while the Integration "
                       "API is on.</p>"};
  }
  std::string subscription = std::to_string(t.connections) + " connections";
  std::string reserved = "-", lapsed = "-", free = "-";
  if (o.stats) {
    const auto& s = *o.stats;
    reserved = std::to_string(s.committed - s.lapsed_connections);
    lapsed = std::to_string(s.lapsed_connections) + " in "
             + std::to_string(s.lapsed) + " meeting(s)";
    free = std::to_string(std::max<int64_t>(0, t.connections - s.committed));
  }
  html meetings{"<p>No meetings are running.</p>"};
  if (!o.meetings.empty()) {
    html rows;
    for (const auto& m : o.meetings) {
      auto booking = m.lapsed ? "lapsed since " + utc(m.reserved_until_ms)
                              : "reserved until " + utc(m.reserved_until_ms);
      rows.text +=
        render_html(meeting_row_tmpl,
                    {{"name", m.name},
                     {"id", m.meeting_id},
                     {"size", std::to_string(m.size)},
                     {"booking", booking},
                     {"participants", std::to_string(m.participants)}})
          .text;
    }
    meetings = render_html(meetings_table, {{"rows", rows}});
  }
  html history{"<p>No history yet.</p>"};
  html chart;
  if (!o.history.empty()) {
    html rows;
    for (auto it = o.history.rbegin(); it != o.history.rend(); ++it) {
      int64_t refused = 0;
      for (const auto& [k, n] : it->refused)
        refused += n;
      // Days without anything to show are left out of the table (the chart
      // shows all 30).
      if (it->reserved_connection_minutes <= 0 && it->meetings == 0
          && refused == 0 && it->preemptions == 0
          && it->participant_minutes <= 0)
        continue;
      rows.text +=
        render_html(history_row,
                    {{"date", it->date},
                     {"minutes", rounded(it->reserved_connection_minutes)},
                     {"peak", std::to_string(it->peak_reserved_connections)},
                     {"meetings", std::to_string(it->meetings)},
                     {"preemptions", std::to_string(it->preemptions)},
                     {"refused", std::to_string(refused)},
                     {"participants", rounded(it->participant_minutes)}})
          .text;
    }
    history = render_html(history_table, {{"rows", rows}});
    chart = html{o.chart_svg};
  }
  html probe;
  if (o.probe)
    probe = render_html(
      R"(<p class="done" role="status" id="probe-result">{{m}}</p>)",
      {{"m", probe_text(o.probe_size, *o.probe)}});
  auto done = done_text(o.done);
  auto body = render_html(
    overview_body,
    {{"done", done.empty()
                ? html{}
                : render_html(R"(<p class="done" role="status">{{m}}</p>)",
                              {{"m", done}})},
     {"state", std::string{t.api_enabled ? "on" : "off"}},
     {"csrf", o.csrf},
     {"toggle_value", std::string{t.api_enabled ? "off" : "on"}},
     {"toggle_label",
      std::string{t.api_enabled ? "Switch the API off" : "Switch the API on"}},
     {"credentials", credentials},
     {"max_participants", std::to_string(o.effective_max_participants)},
     {"duration_minutes", std::to_string(o.effective_duration_minutes)},
     {"chat_checked", html{t.default_chat_texts ? "checked" : ""}},
     {"welcome", o.texts.welcome.empty() ? "(none)" : o.texts.welcome},
     {"moderator_only",
      o.texts.moderator_only.empty() ? "(none)" : o.texts.moderator_only},
     {"subscription", subscription},
     {"reserved", reserved},
     {"lapsed", lapsed},
     {"free", free},
     {"meetings", meetings},
     {"probe_value",
      o.probe_size > 0 ? std::to_string(o.probe_size) : std::string{}},
     {"probe", probe},
     {"chart", chart},
     {"history", history}});
  return render_html(layout,
                     {{"title", "Integration API: " + t.id}, {"body", body}});
}

net::http_response console_page(unsigned status, const html& page) {
  auto res = net::make_response(status, "text/html; charset=utf-8", page.text);
  res.set("Content-Security-Policy",
          "default-src 'none'; style-src 'self'; script-src 'self'; "
          "img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
          "base-uri 'none'");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Cache-Control", "no-store");
  return res;
}

net::http_response console_asset(const std::string& name) {
  static constexpr std::string_view css = R"(:root{color-scheme:light}
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f4f5f7}
header{background:#14304f;color:#fff;padding:.75rem 1rem}
header h1{margin:.25rem 0;font-size:1.4rem}.brand{margin:0;font-weight:600;opacity:.9}
main{max-width:60rem;margin:0 auto;padding:1rem}
.card{background:#fff;border:1px solid #c9ced6;border-radius:6px;padding:1rem;margin:0 0 1rem}
label{display:block;font-weight:600}input{font:inherit;padding:.4rem;border:1px solid #6b7280;border-radius:4px;max-width:100%;box-sizing:border-box}
input[readonly]{width:100%;background:#f8f8f8;font-family:ui-monospace,monospace}
input[type=checkbox]{width:auto;margin-right:.4rem}
input[type=checkbox]+label{display:inline;font-weight:400}
button{font:inherit;padding:.45rem .9rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}
button:focus,input:focus,a:focus{outline:3px solid #f59e0b;outline-offset:2px}
.copy{display:flex;gap:.5rem}.inline{display:inline}
.alert{background:#fde8e8;border:1px solid #b91c1c;color:#7f1d1d;padding:.5rem}
.done{background:#e6f4ea;border:1px solid #15803d;color:#14532d;padding:.5rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem;border-bottom:1px solid #d1d5db}
caption{text-align:left;font-weight:600}
.figures{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem}.figures dd{margin:0;font-weight:600}
nav a{margin-right:1rem;color:#1d4ed8}.hint{color:#374151}
.chart{width:100%;height:auto}code,dd{overflow-wrap:anywhere}td{overflow-wrap:break-word}
.scroll{overflow-x:auto}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
select{font:inherit;padding:.3rem}
@media (max-width:40rem){.copy{flex-direction:column}table{font-size:.85rem}main{padding:.5rem}}
)";
  static constexpr std::string_view js =
    R"(document.querySelectorAll('.copy-btn').forEach(function (b) {
  b.hidden = false;
  b.addEventListener('click', function () {
    var field = document.getElementById(b.getAttribute('data-copy'));
    field.select();
    if (navigator.clipboard) navigator.clipboard.writeText(field.value);
    else document.execCommand('copy');
    b.textContent = 'Copied';
  });
});
)";
  if (name == "style.css") {
    auto res =
      net::make_response(200, "text/css; charset=utf-8", std::string{css});
    res.set("X-Content-Type-Options", "nosniff");
    return res;
  }
  if (name == "console.js") {
    auto res = net::make_response(200, "text/javascript; charset=utf-8",
                                  std::string{js});
    res.set("X-Content-Type-Options", "nosniff");
    return res;
  }
  return console_page(404, console_login_page("No such page."));
}

} // namespace gw::api
