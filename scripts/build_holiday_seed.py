"""Write resources/calendar/cn_holidays.json from the chinese-calendar package's data.

Run by a developer when chinese-calendar publishes a new year:
``.venv/bin/pip install chinese-calendar && .venv/bin/python scripts/build_holiday_seed.py``.
The product itself does not import chinese-calendar: the JSON is its seed, and
administrators enter later years from the State Council's notice.
"""

from __future__ import annotations

import json
from datetime import date

import chinese_calendar

from modules.calendar.rules import HOLIDAY, MAKEUP_WORKDAY, SEED_PATH, DayEntry, HolidayTable

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def main() -> None:
    entries: list[DayEntry] = []
    for day, name in sorted(chinese_calendar.holidays.items()):
        entries.append(DayEntry(day, HOLIDAY, NAMES.get(name, name)))
    for day, name in sorted(chinese_calendar.workdays.items()):
        entries.append(DayEntry(day, MAKEUP_WORKDAY, NAMES.get(name, name)))
    years = sorted({d.year for d in chinese_calendar.holidays})
    table = HolidayTable.build(years, entries, version=1)
    data = table.to_json()
    data["source"] = f"chinese-calendar {chinese_calendar.__version__} (MIT), {date.today().isoformat()}"
    SEED_PATH.parent.mkdir(parents=True, exist_ok=True)
    days = ",\n".join(json.dumps(d, ensure_ascii=False) for d in data.pop("days"))
    head = json.dumps(data, ensure_ascii=False)[:-1]
    SEED_PATH.write_text(f'{head}, "days": [\n{days}\n]}}\n', encoding="utf-8")
    print(f"{len(entries)} days over {years[0]}–{years[-1]} written to {SEED_PATH}")


if __name__ == "__main__":
    main()
