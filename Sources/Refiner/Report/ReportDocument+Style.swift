/// The page's look, inline so the file stands alone: a readable measure,
/// system fonts, quiet tables with tabular numbers, and print rules.
extension ReportDocument {
    static let style = """
        :root { --ink: #1d2433; --muted: #5b6475; --rule: #dfe3ea; --panel: #f5f7fa; --accent: #1b4a86; }
        * { box-sizing: border-box; }
        html { background: #ffffff; }
        body { margin: 0; color: var(--ink); background: #ffffff;
          font: 15px/1.55 "Helvetica Neue", "Segoe UI", Roboto, "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
        main { max-width: 1120px; margin: 0 auto; padding: 36px 40px 64px; }
        header h1 { font-size: 28px; line-height: 1.2; margin: 0 0 6px; letter-spacing: -0.01em; }
        .subtitle { color: var(--muted); margin: 2px 0; }
        nav ol { display: flex; flex-wrap: wrap; gap: 4px 18px; list-style: none; padding: 10px 0; margin: 16px 0 0;
          border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); font-size: 14px; }
        nav a { color: var(--accent); text-decoration: none; }
        h2 { font-size: 21px; margin: 44px 0 10px; padding-bottom: 6px; border-bottom: 2px solid var(--ink); }
        section p { max-width: 860px; }
        figure { margin: 18px 0 10px; }
        svg.chart { display: block; width: 100%; height: auto; max-width: 960px; }
        svg.chart text { font-family: inherit; }
        figcaption { color: var(--muted); font-size: 13.5px; max-width: 860px; margin-top: 6px; }
        .table-block { margin: 22px 0 8px; }
        .table-title { font-weight: 600; font-size: 14.5px; margin-bottom: 6px; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; font-size: 13.5px; }
        th, td { padding: 5px 12px 5px 0; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
        th { font-weight: 600; color: var(--muted); border-bottom: 1px solid var(--ink); white-space: nowrap; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; padding-left: 12px; }
        .table-note { color: var(--muted); font-size: 13px; margin: 6px 0 0; }
        code { font-family: "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px;
          background: var(--panel); padding: 1px 4px; border-radius: 3px; overflow-wrap: break-word; }
        .keyed { white-space: nowrap; }
        .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: baseline; }
        .notes { background: #fff7e0; border-left: 4px solid #d99a00; padding: 4px 18px 8px; margin: 22px 0 0; }
        .notes h2 { border: none; font-size: 16px; margin: 10px 0 4px; padding: 0; }
        .notes ul { margin: 4px 0; padding-left: 20px; }
        footer { margin-top: 48px; padding-top: 12px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 13px; }
        @media print { main { padding: 0; max-width: none; } nav { display: none; } figure, .table-block { break-inside: avoid; } }
        """
}
