// Akmatori webhook media type for Zabbix 6.0+ (the same script as the `script` field of
// akmatori_webhook.yaml). Zabbix runs it in its embedded Duktape engine (ECMAScript 5.1):
// `value` holds the media type's parameters as a JSON string, with the macros expanded.
// It POSTs one JSON object per notification to Akmatori and fails the Zabbix action, with
// the HTTP status in the message, when Akmatori does not answer 2xx. Zabbix runs the script
// as a function body, hence the top-level `return`. Keep it ES5 and keep every call on one
// line: Duktape rejects the trailing comma Prettier adds to a call split over lines.
/* global HttpRequest, Zabbix, value */
var AkmatoriWebhook = {
  // Zabbix leaves a macro it cannot resolve as written ("{EVENT.RECOVERY.ID}" in a problem
  // notification, "{$RUNBOOK}" when the user macro is undefined): treat that as empty.
  expanded: function (text) {
    if (typeof text !== 'string') {
      return '';
    }
    text = text.trim();
    return /^\{[^{}\s]+\}$/.test(text) ? '' : text;
  },

  // "{EVENT.DATE} {EVENT.TIME}" style pairs: empty when either half did not expand.
  dateTime: function (date, time) {
    date = AkmatoriWebhook.expanded(date);
    time = AkmatoriWebhook.expanded(time);
    return date !== '' && time !== '' ? date + ' ' + time : '';
  },

  firstOf: function (candidates) {
    for (var i = 0; i < candidates.length; i++) {
      var text = AkmatoriWebhook.expanded(candidates[i]);
      if (text !== '') {
        return text;
      }
    }
    return '';
  },

  payload: function (params) {
    var body = {
      alert_name: AkmatoriWebhook.expanded(params.alert_name),
      severity: AkmatoriWebhook.expanded(params.severity),
      priority: AkmatoriWebhook.expanded(params.priority),
      hardware: AkmatoriWebhook.expanded(params.hardware),
      event_status: AkmatoriWebhook.expanded(params.event_status),
      event_id: AkmatoriWebhook.expanded(params.event_id),
      event_time: AkmatoriWebhook.dateTime(params.event_date, params.event_time),
      trigger_expression: AkmatoriWebhook.expanded(params.trigger_expression),
      metric_name: AkmatoriWebhook.firstOf([params.item_name, params.item_key]),
      metric_value: AkmatoriWebhook.expanded(params.item_value),
      runbook_url: AkmatoriWebhook.firstOf([params.trigger_url, params.runbook_tag]),
    };
    var recoveryId = AkmatoriWebhook.expanded(params.recovery_event_id);
    if (AkmatoriWebhook.expanded(params.event_value) === '0' || recoveryId !== '') {
      body.recovery_event_id = recoveryId;
      var recoveryDate = params.event_recovery_date;
      body.event_recovery_time = AkmatoriWebhook.dateTime(recoveryDate, params.event_recovery_time);
    }
    return body;
  },

  send: function (params) {
    var url = AkmatoriWebhook.expanded(params.akmatori_url);
    if (!/^https?:\/\/\S+$/.test(url)) {
      throw (
        'parameter "akmatori_url" must be the Akmatori webhook URL (http:// or https://), got "' +
        params.akmatori_url +
        '"'
      );
    }
    var request = new HttpRequest();
    if (typeof params.http_proxy === 'string' && params.http_proxy.trim() !== '') {
      request.setProxy(params.http_proxy.trim());
    }
    request.addHeader('Content-Type: application/json');
    var secret = AkmatoriWebhook.expanded(params.akmatori_secret);
    if (secret !== '') {
      request.addHeader('Authorization: Bearer ' + secret);
    }
    var body = JSON.stringify(AkmatoriWebhook.payload(params));
    Zabbix.log(4, '[Akmatori webhook] POST ' + url + ': ' + body);
    var response = request.post(url, body);
    var status = request.getStatus();
    Zabbix.log(4, '[Akmatori webhook] HTTP ' + status + ': ' + response);
    if (status < 200 || status >= 300) {
      var detail = typeof response === 'string' ? response.substring(0, 300) : '';
      throw (
        'Akmatori answered HTTP ' + status + ' for ' + url + (detail !== '' ? ': ' + detail : '')
      );
    }
    return 'OK';
  },
};

try {
  return AkmatoriWebhook.send(JSON.parse(value));
} catch (error) {
  Zabbix.log(3, '[Akmatori webhook] notification failed: ' + error);
  throw 'Akmatori webhook failed: ' + error;
}
