"""Excel voor de raad: the council workbook export shared by the dashboard and the budget
page."""
