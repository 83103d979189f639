"""Extensions, one model for every dialect: a numbered user with its device, box and callflow
(or a conference, parking or paging callflow), found, checked and written all or nothing."""
