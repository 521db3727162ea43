"""Service categories: the catalogue, weights and activation (codes never change)."""

from __future__ import annotations

from sqlalchemy import select

from timebank_desktop.domain.categories import CategoryInfo
from timebank_desktop.domain.errors import NotFound, ValidationError
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import _
from timebank_desktop.models import Category
from timebank_desktop.services.context import AppContext


class CategoryService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def list(self, include_inactive: bool = True) -> tuple[CategoryInfo, ...]:
        with self.ctx.read() as session:
            query = select(Category).order_by(Category.sort_order, Category.code)
            if not include_inactive:
                query = query.where(Category.active.is_(True))
            return tuple(
                CategoryInfo(c.code, c.name_zh, c.name_en, c.weight_permille, c.active)
                for c in session.scalars(query)
            )

    def update(
        self,
        code: str,
        *,
        name_zh: str | None = None,
        name_en: str | None = None,
        weight_permille: int | None = None,
        active: bool | None = None,
    ) -> None:
        """Rename, reweigh or (de)activate a category; records keep the weight they had."""
        self.ctx.require(Permission.SETTINGS)
        if weight_permille is not None and not 100 <= weight_permille <= 5000:
            raise ValidationError.single(
                "category.weight", _("A weight must be between 0.1 and 5"), "weight"
            )
        with self.ctx.write() as session:
            category = session.get(Category, code)
            if category is None:
                raise NotFound(_("Unknown service category: {code}").format(code=code))
            before = (
                category.name_zh,
                category.name_en,
                category.weight_permille,
                category.active,
            )
            if name_zh is not None and name_zh.strip():
                category.name_zh = name_zh.strip()
            if name_en is not None and name_en.strip():
                category.name_en = name_en.strip()
            if weight_permille is not None:
                category.weight_permille = weight_permille
            if active is not None:
                category.active = active
            self.ctx.audit(
                session,
                "category.update",
                "category",
                code,
                before=before,
                after=(
                    category.name_zh,
                    category.name_en,
                    category.weight_permille,
                    category.active,
                ),
            )
