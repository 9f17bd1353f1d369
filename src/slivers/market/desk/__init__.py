"""The market as a coordinator's desk sees it: unmet demand and disputed timesheets."""
