"""Synthetic Chinese names, places and 身份证号 for the demo county (no real people).

Every name is drawn from short lists of common characters, so the county reads
naturally while naming nobody in particular; every 身份证号 is built with a
correct check digit (GB 11643) on the demo county's area code, with serial
numbers from the generator, so none is copied from a real person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import random
    from datetime import date

SURNAMES: Final = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
MALE: Final = (
    "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆建国志海林峰春文德福寿山成"
)
FEMALE: Final = "芳娜敏静丽艳娟霞秀英玲桂兰萍红梅琴云莲凤珍翠燕洁慧淑华荣菊香玉"
PLACE_HEADS: Final = "青清白石龙凤马牛黄柳桃杨梅竹松枫泉溪河湖塘坪岭岗坡湾沙田"
PLACE_TAILS: Final = "山水溪岭坪湾塘桥冲坡源洲口铺镇堡"
TOWNSHIP_KINDS: Final = ("镇", "乡", "镇", "镇", "乡")
VILLAGE_TAILS: Final = ("村", "村", "村", "社区")

WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK: Final = "10X98765432"


def person_name(rng: random.Random, surname: str, *, female: bool) -> str:
    """Return a two- or three-character name with the given surname."""
    pool = FEMALE if female else MALE
    given = rng.choice(pool)
    if rng.random() < 0.7:
        given += rng.choice(pool)
    return surname + given


def place_name(rng: random.Random, used: set[str]) -> str:
    """Return a two-character place stem not used before in this county."""
    while True:
        stem = rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)
        if stem not in used and stem[0] != stem[1]:
            used.add(stem)
            return stem


def check_digit(first17: str) -> str:
    """Return the GB 11643 check character of a 身份证号's first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK[total % 11]


def id_number(area: str, born: date, serial: int, *, female: bool) -> str:
    """Return an 18-digit 身份证号: area, birth date, serial (odd for men), check."""
    sequence = (serial % 500) * 2 + (0 if female else 1)
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)
