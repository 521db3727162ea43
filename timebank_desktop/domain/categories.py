"""The default service category catalogue (GLOSSARY.md); codes are stable, names editable."""

from __future__ import annotations

from dataclasses import dataclass

from timebank_desktop.domain.names import initials_of

WEIGHT_ONE = 1000  # weights are stored in thousandths: 1000 = 1.0, 1500 = 1.5


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    code: str
    name_zh: str
    name_en: str
    weight_permille: int = WEIGHT_ONE
    active: bool = True

    @property
    def initials(self) -> str:
        return initials_of(self.name_zh)

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_zh

    @property
    def weight_text(self) -> str:
        return f"{self.weight_permille / WEIGHT_ONE:.2f}".rstrip("0").rstrip(".")


DEFAULT_CATEGORIES: tuple[CategoryInfo, ...] = (
    CategoryInfo("living", "生活照料", "daily living help"),
    CategoryInfo("meals", "助餐", "meals"),
    CategoryInfo("cleaning", "助洁", "cleaning"),
    CategoryInfo("bathing", "助浴", "bathing"),
    CategoryInfo("medical", "助医陪诊", "medical escort"),
    CategoryInfo("health", "健康护理", "health care"),
    CategoryInfo("company", "精神慰藉", "companionship"),
    CategoryInfo("safety", "居家安全", "home safety"),
    CategoryInfo("errands", "代办便民", "errands"),
    CategoryInfo("recreation", "教育康乐", "education and recreation"),
    CategoryInfo("professional", "专业服务", "professional services"),
)


def match_category(text: str, catalogue: tuple[CategoryInfo, ...]) -> CategoryInfo | None:
    """A category by code, Chinese name, or the first pinyin letters of its name."""
    key = text.strip().lower()
    if not key:
        return None
    for cat in catalogue:
        if key in (cat.code, cat.name_zh, cat.name_en.lower()):
            return cat
    prefixed = [c for c in catalogue if c.code.startswith(key)]
    if len(prefixed) == 1:
        return prefixed[0]
    by_initials = [c for c in catalogue if c.initials.startswith(key)]
    if len(by_initials) == 1:
        return by_initials[0]
    exact_initials = [c for c in catalogue if c.initials == key]
    return exact_initials[0] if len(exact_initials) == 1 else None
