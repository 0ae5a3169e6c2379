"""Intake: the spreadsheets groups keep (deliveries and drivers' rosters) read into the
domain model, with a report of every problem by row, column and value."""
