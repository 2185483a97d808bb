"""Working-day calendar (工作日历) shared by the whole product: supervision deadlines,
the 办理时限 of incoming documents, recurring meetings that skip holidays."""
