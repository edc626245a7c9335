"""Account, portfolio and discount-schedule reviews exported as PDF and Excel (issue 7)."""
