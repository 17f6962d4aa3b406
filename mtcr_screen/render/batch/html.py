"""A self-contained HTML report: summary, a sortable table, and each row's rationale.

No network: the CSS and the small sorting script are inline. Every piece of text from the
manifest is escaped. The summary is written after the rows (the report streams) and shown
above them with CSS. Click a column header to sort by it (again to reverse); the address
fragment ``#sort=recommendation`` (or ``#sort=-row`` for descending) sorts on opening.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from mtcr_screen.batch.results import RowResult, Summary
from mtcr_screen.decision import NOTICE, Recommendation
from mtcr_screen.render.batch import BatchMeta, lists_rows

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
.report{display:flex;flex-direction:column}
header{order:-2}#summary{order:-1}
h1{font-size:1.4em;margin:0 0 .3em}
.notice{color:#555;font-style:italic}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3;cursor:pointer;user-select:none;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" \\25B2"}
th[aria-sort=descending]::after{content:" \\25BC"}
td.num{text-align:right}
.sev0{color:#176b17}.sev1{color:#8a6d00}.sev2{color:#8a2b8a}
.sev3,.sev4{color:#b00020;font-weight:bold}.sev5{color:#fff;background:#b00020}
.rejected{color:#b00020;font-weight:bold}
details summary{cursor:pointer}
#summary table{width:auto;margin:.5em 0}
table.lists{width:auto}.warn{color:#a00}
"""

_JS = """
(function(){
  var table=document.getElementById('results');
  var heads=table.tHead.rows[0].cells;
  function key(row,i){var c=row.cells[i];var v=c.getAttribute('data-v');
    return v===null?c.textContent.trim():v;}
  function cmp(a,b){var x=parseFloat(a),y=parseFloat(b);
    if(!isNaN(x)&&!isNaN(y)&&String(x)===a&&String(y)===b){return x-y;}
    return a<b?-1:a>b?1:0;}
  function sortBy(i,desc){
    var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){var r=cmp(key(a,i),key(b,i));
      if(r===0){r=cmp(key(a,0),key(b,0));return r;}return desc?-r:r;});
    for(var j=0;j<rows.length;j++){body.appendChild(rows[j]);}
    for(var k=0;k<heads.length;k++){heads[k].removeAttribute('aria-sort');}
    heads[i].setAttribute('aria-sort',desc?'descending':'ascending');
  }
  for(var i=0;i<heads.length;i++){(function(i){
    heads[i].addEventListener('click',function(){
      sortBy(i,heads[i].getAttribute('aria-sort')==='ascending');});})(i);}
  var m=/sort=(-?)([a-z_]+)/.exec(location.hash);
  if(m){for(var n=0;n<heads.length;n++){if(heads[n].getAttribute('data-col')===m[2]){
    heads[n].click();if(m[1]==='-'){heads[n].click();}}}}
})();
"""

_COLUMNS = (("row", "Row"), ("id", "Id"), ("kind", "Kind"), ("destination", "Destination"),
            ("category", "Category"), ("recommendation", "Recommendation"),
            ("entries", "Entries"), ("rationale", "Rationale"))
_CAT_ORDER = {"not_listed": 0, "II": 1, "undetermined": 2, "I": 3}


class HtmlRenderer:
    """One HTML page; open it in any browser, no network needed."""

    name = "html"
    description = "a self-contained HTML report, sortable"
    machine = False

    def __init__(self, meta: BatchMeta) -> None:
        self.meta = meta

    def begin(self) -> str:
        """The page head and the table header."""
        m = self.meta
        heads = "".join(f'<th data-col="{c}" scope="col">{t}</th>' for c, t in _COLUMNS)
        return (
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>MTCR batch screening: {escape(m.source)}</title>\n"
            f"<style>{_CSS}</style>\n</head>\n<body>\n<div class=\"report\">\n"
            f"<header><h1>MTCR batch screening</h1>\n"
            f"<p>Manifest <code>{escape(m.source)}</code> · Annex {escape(m.annex_edition)} "
            f"(sha256 <code>{m.annex_sha256[:12]}</code>) · Guidelines profile "
            f"{escape(m.profile)}</p>\n<p class=\"notice\">{escape(NOTICE)}</p>\n"
            f"{_lists(m)}</header>\n"
            f"<table id=\"results\">\n<thead><tr>{heads}</tr></thead>\n<tbody>\n"
        )

    def rows(self, results: Sequence[RowResult]) -> str:
        """One table row per result, with its rationale in a <details>."""
        out = []
        for r in results:
            ident = escape(r.id)
            if r.description:
                ident += f"<br><small>{escape(r.description)}</small>"
            o = r.outcome
            if o is not None:
                sev = o.recommendation.severity
                items = "".join(
                    f"<li><b>{escape(x.code)} {escape(x.rule)}</b>"
                    + (f" [{escape(x.entry)}]" if x.entry else "")
                    + (f" ¶{escape(x.paragraph)}" if x.paragraph else "")
                    + f": {escape(x.message)}"
                    + ("".join(f"<br>• {escape(d)}" for d in x.details))
                    + "</li>" for x in o.rationale)
                missing = (f"<p>Missing: {escape(', '.join(o.missing))}</p>"
                           if o.missing else "")
                entries = ", ".join(o.entries)
                if o.possible:
                    entries += (" " if entries else "") + "(possible " + \
                        ", ".join(o.possible) + ")"
                out.append(
                    f'<tr class="screened"><td class="num">{r.row}</td><td>{ident}</td>'
                    f"<td>{escape(o.kind)}</td><td>{escape(o.destination or '')}</td>"
                    f'<td data-v="{_CAT_ORDER.get(o.category, 9)}">{escape(o.category)}</td>'
                    f'<td data-v="{sev}" class="sev{sev}">{escape(o.recommendation.label)}</td>'
                    f"<td>{escape(entries)}</td>"
                    f"<td><details><summary>{len(o.rationale)} reason"
                    f"{'s' if len(o.rationale) != 1 else ''}</summary><ul>{items}</ul>"
                    f"{missing}</details></td></tr>\n")
            elif r.rejected is not None:
                col = (f"column <code>{escape(r.rejected.column)}</code>: "
                       if r.rejected.column else "")
                out.append(
                    f'<tr class="rejected"><td class="num">{r.row}</td><td>{ident}</td>'
                    f'<td></td><td></td><td data-v="9"></td>'
                    f'<td data-v="9" class="rejected">Rejected</td><td></td>'
                    f"<td><details open><summary>rejected</summary>{col}"
                    f"{escape(r.rejected.reason)}</details></td></tr>\n")
        return "".join(out)

    def end(self, summary: Summary) -> str:
        """Close the table; the summary (shown first); the script."""
        recs = "".join(
            f'<tr><td class="sev{rec.severity}">{escape(rec.label)}</td>'
            f'<td class="num">{summary.by_recommendation[rec.value]}</td></tr>'
            for rec in Recommendation if summary.by_recommendation.get(rec.value))
        cats = "".join(f'<tr><td>{escape(c)}</td><td class="num">{n}</td></tr>'
                       for c, n in sorted(summary.by_category.items()))
        rejected = ""
        if summary.rejected:
            rejected = (f'<tr><td class="rejected">Rejected</td>'
                        f'<td class="num">{summary.rejected}</td></tr>')
        return (
            "</tbody>\n</table>\n"
            f'<section id="summary"><h2>Summary</h2>\n'
            f'<p><span id="total">{summary.rows}</span> rows: '
            f"{summary.rows - summary.rejected} screened, {summary.rejected} rejected, "
            f"<b>{summary.not_cleared} not cleared</b>.</p>\n"
            f"<table><thead><tr><th>Recommendation</th><th>Rows</th></tr></thead>"
            f"<tbody>{recs}{rejected}</tbody></table>\n"
            f"<table><thead><tr><th>Category</th><th>Rows</th></tr></thead>"
            f"<tbody>{cats}</tbody></table>\n</section>\n</div>\n"
            f"<script>{_JS}</script>\n</body>\n</html>\n"
        )


def _lists(meta: BatchMeta) -> str:
    rows = lists_rows(meta)
    if not rows:
        return ""
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(x)}</td>" for x in r[:4])
        + f'<td class="warn">{escape(r[4])}</td></tr>' for r in rows)
    return ("<details><summary>Lists consulted "
            f"({sum(1 for r in rows if r[4])} out of date)</summary>"
            "<table class=\"lists\"><thead><tr><th>List</th><th>Effect</th><th>As of</th>"
            "<th>Confidence</th><th>Warning</th></tr></thead><tbody>"
            f"{body}</tbody></table></details>\n")
