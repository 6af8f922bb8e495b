"""Dashboard: KPI tiles, trends, the drill-down behind every figure and the team figures."""
