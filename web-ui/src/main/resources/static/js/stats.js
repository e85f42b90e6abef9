// The dashboard's charts (templates/analytics/dashboard.html), drawn with ECharts from the same data as the tables.
// Every series shows its values as labels, so nothing needs hovering.
(function () {
  'use strict';

  var OUTCOME_NAMES = {
    es: {RESOLVED_BY_BOT: 'Resuelta por el asistente', ASSISTED: 'Atendida por una persona',
      ESCALATED_UNANSWERED: 'Escalada sin respuesta', ABANDONED: 'Abandonada', IN_PROGRESS: 'En curso'},
    en: {RESOLVED_BY_BOT: 'Resolved by the assistant', ASSISTED: 'Assisted by a person',
      ESCALATED_UNANSWERED: 'Escalated, unanswered', ABANDONED: 'Abandoned', IN_PROGRESS: 'In progress'}
  };
  var SERIES = {
    es: {conversations: 'Conversaciones', automation: 'Automatización %', escalation: 'Escalado %'},
    en: {conversations: 'Conversations', automation: 'Automation %', escalation: 'Escalation %'}
  };

  function percent(value) {
    return value == null ? null : Math.round(value * 1000) / 10;
  }

  function draw(stats) {
    var lang = (document.documentElement.lang || 'es').indexOf('en') === 0 ? 'en' : 'es';
    var names = OUTCOME_NAMES[lang];
    var series = SERIES[lang];

    var outcomes = echarts.init(document.getElementById('chart-outcomes'));
    var outcomeKeys = Object.keys(stats.outcomes);
    outcomes.setOption({
      animation: false,
      grid: {left: 170, right: 40, top: 10, bottom: 20},
      xAxis: {type: 'value', minInterval: 1},
      yAxis: {type: 'category', data: outcomeKeys.map(function (k) { return names[k] || k; })},
      series: [{type: 'bar', data: outcomeKeys.map(function (k) { return stats.outcomes[k]; }),
        label: {show: true, position: 'right'}}]
    });

    var days = echarts.init(document.getElementById('chart-days'));
    days.setOption({
      animation: false,
      legend: {top: 0},
      grid: {left: 40, right: 40, top: 40, bottom: 30},
      xAxis: {type: 'category', data: stats.days.map(function (d) { return d.day.substring(5); })},
      yAxis: [{type: 'value', minInterval: 1}, {type: 'value', min: 0, max: 100}],
      series: [
        {name: series.conversations, type: 'bar', data: stats.days.map(function (d) { return d.conversations; }),
          label: {show: true, position: 'top'}},
        {name: series.automation, type: 'line', yAxisIndex: 1,
          data: stats.days.map(function (d) { return percent(d.automationRate); }), label: {show: true}},
        {name: series.escalation, type: 'line', yAxisIndex: 1,
          data: stats.days.map(function (d) { return percent(d.escalationRate); }), label: {show: true}}
      ]
    });

    var reasons = echarts.init(document.getElementById('chart-reasons'));
    var reasonKeys = Object.keys(stats.escalationReasons);
    reasons.setOption({
      animation: false,
      grid: {left: 150, right: 40, top: 10, bottom: 20},
      xAxis: {type: 'value', minInterval: 1},
      yAxis: {type: 'category', data: reasonKeys},
      series: [{type: 'bar', data: reasonKeys.map(function (k) { return stats.escalationReasons[k]; }),
        label: {show: true, position: 'right'}}]
    });

    window.addEventListener('resize', function () {
      outcomes.resize();
      days.resize();
      reasons.resize();
    });
    document.getElementById('charts').setAttribute('data-drawn', 'true');
  }

  document.addEventListener('DOMContentLoaded', function () {
    var box = document.getElementById('charts');
    if (!box || typeof echarts === 'undefined') {
      return;
    }
    fetch(box.getAttribute('data-url'), {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.json();
      })
      .then(draw)
      .catch(function (error) {
        box.setAttribute('data-error', String(error));
      });
  });
})();
