"""Made-up but realistic people for demo centres: names, ID numbers, phones, addresses."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from timebank_desktop.domain import idnumber

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_F = "秀英华玉兰珍芳娟梅琴凤霞云丽红燕桂淑敏静莲慧萍洁雪琳"
GIVEN_M = "建国明华军平志强伟德文林海东永杰斌刚勇春成福贵生荣宝"
REGIONS = ("110105", "310115", "320106", "360102", "360103", "450103", "450107", "420106")
STREETS = ("东湖社区", "和平里社区", "滨江社区", "青秀社区")
PHONE_PREFIXES = (
    "130",
    "131",
    "133",
    "135",
    "136",
    "138",
    "139",
    "150",
    "151",
    "155",
    "158",
    "159",
    "176",
    "177",
    "180",
    "181",
    "186",
    "188",
    "189",
    "199",
)


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    id_number: str
    gender: str
    birth_date: date
    phone: str
    address: str


def make_person(
    rng: random.Random, min_age: int, max_age: int, today: date, used_ids: set[str]
) -> Person:
    female = rng.random() < 0.6  # most time-bank volunteers and elders are women
    given = GIVEN_F if female else GIVEN_M
    name = rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2))))
    while True:
        age_days = rng.randint(min_age * 365 + 30, max_age * 365 + 300)
        born = today - timedelta(days=age_days)
        seq = rng.randrange(0, 999)
        seq = seq - seq % 2 + (0 if female else 1)  # 17th digit: odd for men
        ident = idnumber.make(rng.choice(REGIONS), born, seq % 1000)
        if ident.value not in used_ids:
            used_ids.add(ident.value)
            break
    phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    address = (
        f"{rng.choice(STREETS)}{rng.randint(1, 30)}栋{rng.randint(1, 6)}单元"
        f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}室"
    )
    return Person(name, ident.value, ident.gender, ident.birth_date, phone, address)
