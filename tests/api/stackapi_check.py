"""Reads the site's Stack Exchange API subset with StackAPI (PyPI), the Python
client written for that API, unmodified: pointed at the site by its base_url and
its api_site_parameter, it reads questions, answers, users, tags and a search.

    python tests/api/stackapi_check.py BASE_URL
"""

import sys

from stackapi import StackAPI

base = sys.argv[1].rstrip("/")
host = base.split("://", 1)[1].split(":")[0].split("/")[0]
site = StackAPI(host, base_url=base, max_pages=2, page_size=10)

info = site.fetch("info")["items"][0]
questions = site.fetch("questions", sort="votes")["items"]
# Two pages of ten, as asked (the demo site has more).
assert len(questions) == min(20, info["total_questions"]), len(questions)
assert len({q["question_id"] for q in questions}) == len(questions), "pages overlap"
assert all(isinstance(q["question_id"], int) and q["title"] for q in questions)
top = max(questions, key=lambda q: q["answer_count"])
answers = site.fetch("questions/{ids}/answers", ids=[top["question_id"]], filter="withbody")["items"]
# Up to two pages of ten, as asked.
assert len(answers) == min(20, top["answer_count"]), (len(answers), top["answer_count"])
assert all(a["question_id"] == top["question_id"] and a["body"] for a in answers)
users = site.fetch("users/{ids}", ids=[q["owner"]["user_id"] for q in questions[:3]])["items"]
assert users and all(isinstance(u["reputation"], int) for u in users)
tags = site.fetch("tags", sort="popular")["items"]
assert tags and isinstance(tags[0]["count"], int)
found = site.fetch("search/advanced", q="Berlin", sort="relevance")["items"]
assert any("Berlin" in q["title"] for q in found), [q["title"] for q in found]
total = site.fetch("questions", filter="total")["total"]
assert total == info["total_questions"], (total, info)
print(f"stackapi: {len(questions)} questions, {len(answers)} answers, {len(users)} users, "
      f"{len(tags)} tags, {len(found)} found")
