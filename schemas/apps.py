"""Monster apps in the catalog and an account's app store settings."""

from __future__ import annotations

from schemas.fields import Arr, Bool, Num, Obj, OpenSchema, Str

ALLOWED_USERS = ("specific", "all", "admins")
APP_NAME = r"^[A-Za-z0-9_-]+$"


class AppLabelSchema(OpenSchema):
    """One language's texts of an app."""

    label = Str(required=True, min_length=3, max_length=64)
    description = Str(required=True, min_length=3, max_length=4096)
    extended_description = Str(max_length=16384)
    features = Arr(Str(max_length=1024), max_items=100)


class AppSchema(OpenSchema):
    """An app as its `metadata/app.json` describes it."""

    name = Str(required=True, min_length=3, max_length=64, pattern=APP_NAME)
    i18n = Obj(required=True)
    icon = Str(required=True, max_length=255)
    author = Str(required=True, min_length=2, max_length=64)
    license = Str(required=True, max_length=255)
    price = Num(required=True, minimum=0)
    version = Str(required=True, max_length=64)
    api_url = Str(max_length=2048, pattern=r"^https?://")
    source_url = Str(max_length=2048, pattern=r"^https?://")
    tags = Arr(Str(max_length=64), max_items=50)
    screenshots = Arr(Str(max_length=255), max_items=50)
    urls = Obj()
    phase = Str(enum=("alpha", "beta", "gold"))
    published = Bool()
    masqueradable = Bool(load_default=True)
    allowed_users = Str(enum=ALLOWED_USERS)
    users = Arr(max_items=1000)


class AppUserSchema(OpenSchema):
    """A user an app is given to."""

    id = Str(required=True, pattern=r"^[0-9a-f]{32}$")


class InstalledAppSchema(OpenSchema):
    """How an account installed an app: who of its users may open it."""

    allowed_users = Str(enum=ALLOWED_USERS, load_default="specific")
    users = Arr(Obj(AppUserSchema), max_items=10000, load_default=list)


class AppsStoreSchema(OpenSchema):
    """An account's app store: the apps it installed and the ones kept from it."""

    apps = Obj(load_default=dict)
    blacklist = Arr(Str(pattern=r"^[0-9a-f]{32}$"), max_items=1000, unique=True, load_default=list)


class BlacklistRequestSchema(OpenSchema):
    """The body of `POST apps_store/blacklist`."""

    blacklist = Arr(Str(pattern=r"^[0-9a-f]{32}$"), required=True, max_items=1000)
