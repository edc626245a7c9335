"""A realistic, deterministic demo portfolio for ``b2b-loyalty demo``.

Everything is drawn from one ``random.Random(DEMO_SEED)`` in fixed loops over
tuples (never over sets), so a build is identical every run. Orders cover the
24 full months ending on the last day of the month before ``as_of``: any day of
one month gives the very same data; a later month moves the window, and since
seasonality follows the calendar, the orders move with it. Users, accounts,
people and their order of drawing do not depend on ``as_of`` at all.

What it builds (see DOMAIN.md for why each part matters):

- one user per role plus four account managers, all with :data:`DEMO_PASSWORD`;
- 30 corporate clients in several industries and regions, four of them Russian
  with Cyrillic names, some with a second manager on the account team;
- their people in the three decision-maker circles, with gaps on purpose: many
  accounts never reached the third circle, four have a single contact, one
  champion left a client that then stopped ordering, one new buyer is a blocker;
- six product categories and two years of orders with seasonality (strong Q2
  and Q4, weak January and August), growing, steady, declining, lost (silent
  for 6+ months) and new (first order in the last 3 months) clients;
- wallet estimates for the last two calendar years for most accounts, per
  category or for all categories, one of them already exceeded by our sales.

The build is idempotent: when the demo administrator exists it writes nothing
and describes what is there. Otherwise it writes everything in one commit.
"""

from __future__ import annotations

import calendar
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, insert, select

from b2b_loyalty.domain.decision_circles import BuyingRole, Stance
from b2b_loyalty.domain.money import round_money
from b2b_loyalty.domain.roles import Role
from b2b_loyalty.extensions import db
from b2b_loyalty.models import Account, Order, ProductCategory, Stakeholder, User, WalletEstimate
from b2b_loyalty.models.account import SIZE_BANDS

DEMO_PASSWORD = "demo-password"
DEMO_DOMAIN = "demo.b2b-loyalty.example"
DEMO_SEED = 20261126
MONTHS = 24

# --------------------------------------------------------------------------- users


@dataclass(frozen=True)
class _UserSpec:
    email: str
    name: str
    role: Role
    locale: str | None = None


DEMO_USERS: tuple[_UserSpec, ...] = (
    _UserSpec(f"admin@{DEMO_DOMAIN}", "Jonas Weber", Role.ADMIN),
    _UserSpec(f"katharina.vogel@{DEMO_DOMAIN}", "Katharina Vogel", Role.SALES_LEAD),
    _UserSpec(f"pieter.devries@{DEMO_DOMAIN}", "Pieter de Vries", Role.FINANCE),
    _UserSpec(f"anna.becker@{DEMO_DOMAIN}", "Anna Becker", Role.ACCOUNT_MANAGER),
    _UserSpec(f"dmitri.volkov@{DEMO_DOMAIN}", "Dmitri Volkov", Role.ACCOUNT_MANAGER, "ru"),
    _UserSpec(f"sofia.lindqvist@{DEMO_DOMAIN}", "Sofia Lindqvist", Role.ACCOUNT_MANAGER),
    _UserSpec(f"marco.rossi@{DEMO_DOMAIN}", "Marco Rossi", Role.ACCOUNT_MANAGER),
)
ADMIN_EMAIL = DEMO_USERS[0].email
# Indexes into DEMO_USERS of the four account managers (AccountSpec.owner/team).
MANAGERS = (3, 4, 5, 6)

# ---------------------------------------------------------------------- categories


@dataclass(frozen=True)
class _CategorySpec:
    key: str
    name: str
    price_low: float  # typical unit price range, EUR
    price_high: float
    cost_ratio: float  # unit cost as a share of the price (0.55-0.75)
    qty_low: int  # one order of a 250-999 employee client
    qty_mode: int
    qty_high: int


CATEGORIES: tuple[_CategorySpec, ...] = (
    _CategorySpec("lamps", "Industrial lamps", 9.20, 12.40, 0.62, 40, 120, 400),
    _CategorySpec("cable", "Cable & wiring", 38.00, 96.00, 0.71, 5, 20, 80),
    _CategorySpec("safety", "Safety equipment", 14.50, 58.00, 0.58, 10, 50, 200),
    _CategorySpec("maint", "Maintenance services", 68.00, 94.00, 0.56, 8, 24, 120),
    _CategorySpec("spare", "Spare parts", 22.00, 340.00, 0.66, 2, 10, 60),
    _CategorySpec("switchgear", "Switchgear & controls", 240.00, 1750.00, 0.73, 1, 3, 12),
)
_CATEGORY_BY_KEY = {c.key: c for c in CATEGORIES}

# Orders per month in the main category and quantity multiplier, by size band.
_FREQUENCY = {"1-49": 0.55, "50-249": 0.9, "250-999": 1.3, "1000-4999": 1.8, "5000+": 2.4}
_VOLUME = {"1-49": 0.25, "50-249": 0.5, "250-999": 1.0, "1000-4999": 1.7, "5000+": 2.8}
# The account's negotiated discount on bigger orders, percent, by size band.
_DISCOUNT_CHOICES = {
    "1-49": (0, 2),
    "50-249": (2, 3),
    "250-999": (3, 4, 5),
    "1000-4999": (5, 6, 7),
    "5000+": (7, 8),
}
_DISCOUNT_FROM = Decimal("2500")  # list amount from which the account's rate applies
_EXTRA_DISCOUNT_FROM = Decimal("15000")  # +2 points, capped at 10 %
# Share of the main category's order rate for the 2nd, 3rd, ... category.
_CATEGORY_WEIGHTS = (1.0, 0.65, 0.5, 0.4, 0.35, 0.3)
# Calendar month -> order rate: strong Q2 and Q4, weak January and August.
_SEASON = {1: 0.55, 2: 0.85, 3: 1.0, 4: 1.2, 5: 1.25, 6: 1.2, 7: 0.9, 8: 0.5, 9: 1.05, 10: 1.15, 11: 1.25, 12: 1.1}  # fmt: skip

# ------------------------------------------------------------------------ accounts

STEADY, GROWING, DECLINING, LOST, NEW = "steady", "growing", "declining", "lost", "new"


@dataclass(frozen=True)
class _AccountSpec:
    name: str
    country: str  # ISO code: names, phones and tax id format of its people
    web: str  # e-mail domain of its people
    industry: str
    region: str
    size: str
    owner: int  # index into MANAGERS
    categories: tuple[tuple[str, int], ...]  # (category key, first month index)
    pattern: str = STEADY
    edge: int = 0  # LOST: last month with orders; NEW: first month with orders
    contacts: int = 4
    third_circle: bool = True
    team: tuple[int, ...] = ()  # indexes into MANAGERS
    wallet: bool = True  # False: share of wallet stays unknown
    special: str = ""  # "blocker", "champion_left", "stale_estimate"
    notes: str | None = None


def _cats(*keys: str, later: dict[str, int] | None = None) -> tuple[tuple[str, int], ...]:
    later = later or {}
    return tuple((k, later.get(k, 0)) for k in keys)


# fmt: off
ACCOUNTS: tuple[_AccountSpec, ...] = (
    # Anna Becker: Germany
    _AccountSpec(
        "Hartmann Präzisionstechnik GmbH", "DE", "hartmann-praezision.de", "Manufacturing",
        "Germany — South", "250-999", 0, _cats("lamps", "spare", "maint", "safety"),
        contacts=6, team=(3,),
        notes="Framework agreement renewed every January. Main plant in Ingolstadt, "
        "second site in Győr.",
    ),
    _AccountSpec(
        "Nordwind Logistik AG", "DE", "nordwind-logistik.de", "Logistics", "Germany — North",
        "1000-4999", 0, _cats("lamps", "cable", "safety", "maint", later={"maint": 12}),
        pattern=GROWING, contacts=7,
        notes="Opening two new hubs (Hamburg-Billbrook, Bremen); lighting retrofit planned.",
    ),
    _AccountSpec(
        "St. Aurelia Klinikverbund gGmbH", "DE", "st-aurelia-kliniken.de", "Healthcare",
        "Germany — West", "1000-4999", 0, _cats("lamps", "maint", "safety", "cable"),
        contacts=8,
        notes="Five hospitals. Purchases above the EU threshold go through a public tender.",
    ),
    _AccountSpec(
        "Cloudbridge IT Services GmbH", "DE", "cloudbridge-it.de", "IT services",
        "Germany — South", "250-999", 0,
        _cats("cable", "switchgear", "maint", later={"maint": 14}),
        pattern=GROWING, contacts=4,
    ),
    _AccountSpec(
        "Stahlbau Krüger & Söhne KG", "DE", "krueger-stahlbau.de", "Construction",
        "Germany — North", "50-249", 0, _cats("safety", "cable", "spare"),
        pattern=LOST, edge=13, contacts=3, third_circle=False, special="champion_left",
        notes="Our champion in purchasing left the company; no orders since. "
        "Call the new buyer.",
    ),
    _AccountSpec(
        "Kaufhaus Lindner KG", "DE", "kaufhaus-lindner.de", "Retail chains", "Germany — West",
        "250-999", 0, _cats("lamps", "maint"),
        pattern=LOST, edge=16, contacts=2, third_circle=False,
    ),
    _AccountSpec(
        "Windkraft Ostsee GmbH", "DE", "windkraft-ostsee.de", "Energy", "Germany — North",
        "50-249", 0, _cats("switchgear", "cable", "safety"),
        pattern=NEW, edge=21, contacts=2, third_circle=False, wallet=False,
        notes="Met at the WindEnergy trade fair; first trial orders.",
    ),
    _AccountSpec(
        "Hofmann Werkzeugbau GmbH", "DE", "hofmann-werkzeugbau.de", "Manufacturing",
        "Germany — South", "1-49", 0, _cats("spare", "lamps"),
        contacts=1, third_circle=False,
    ),
    # Dmitri Volkov: Russia, Poland, the Baltics
    _AccountSpec(
        "ООО «Северсталь-Логистика»", "RU", "sslog.ru", "Logistics", "Russia — Northwest",
        "1000-4999", 1, _cats("lamps", "cable", "safety", "spare"),
        contacts=7, team=(2,),
        notes="Склады в Череповце и Санкт-Петербурге. Оплата строго по графику, "
        "отсрочка 45 дней.",
    ),
    _AccountSpec(
        "АО «Уральские Литейные Системы»", "RU", "uls-ural.ru", "Manufacturing",
        "Russia — Ural", "1000-4999", 1, _cats("spare", "maint", "safety", "switchgear"),
        contacts=5,
    ),
    _AccountSpec(
        "ООО «МедТехСнаб»", "RU", "medtehsnab.ru", "Healthcare", "Russia — Central",
        "50-249", 1, _cats("lamps", "safety"),
        contacts=1, third_circle=False, wallet=False,
        notes="Единственный контакт — директор; нужно выйти на бухгалтерию и склад.",
    ),
    _AccountSpec(
        "ПАО «Волгаэнергосеть»", "RU", "volgaenergoset.ru", "Energy", "Russia — Volga",
        "5000+", 1,
        _cats("switchgear", "cable", "maint", "safety", "spare", later={"spare": 10}),
        pattern=GROWING, contacts=8,
        notes="Инвестпрограмма модернизации подстанций до 2028 года.",
    ),
    _AccountSpec(
        "Baltic Port Terminals SIA", "LV", "balticport.lv", "Logistics", "Poland & Baltics",
        "250-999", 1, _cats("lamps", "spare", "safety"),
        contacts=4,
    ),
    _AccountSpec(
        "Kowalski Budownictwo Sp. z o.o.", "PL", "kowalski-budownictwo.pl", "Construction",
        "Poland & Baltics", "250-999", 1, _cats("safety", "cable", "lamps"),
        contacts=3, third_circle=False,
    ),
    _AccountSpec(
        "Pomorskie Zakłady Spożywcze S.A.", "PL", "pzs-food.pl", "Food processing",
        "Poland & Baltics", "250-999", 1, _cats("maint", "spare", "lamps"),
        contacts=5,
        notes="Three production lines; maintenance contract up for renewal in Q2.",
    ),
    # Sofia Lindqvist: Benelux, the Nordics, the UK
    _AccountSpec(
        "Van der Berg Distributie B.V.", "NL", "vdberg-distributie.nl", "Logistics",
        "Benelux", "250-999", 2, _cats("lamps", "safety", "cable"),
        contacts=4, third_circle=False,
    ),
    _AccountSpec(
        "Medicor Hospital Group N.V.", "NL", "medicor.nl", "Healthcare", "Benelux", "5000+", 2,
        _cats("lamps", "maint", "safety", "cable", "spare"),
        contacts=8, team=(0,),
        notes="Group procurement in Utrecht buys for eleven hospitals.",
    ),
    _AccountSpec(
        "Eurovolt Grid Services B.V.", "NL", "eurovolt.nl", "Energy", "Benelux", "250-999", 2,
        _cats("switchgear", "cable"),
        contacts=3,
    ),
    _AccountSpec(
        "Nordlys Energi AS", "NO", "nordlys-energi.no", "Energy", "Nordics", "250-999", 2,
        _cats("switchgear", "cable", "safety"),
        contacts=4, third_circle=False,
    ),
    _AccountSpec(
        "Vattenfors Kraftvärme AB", "SE", "vattenfors.se", "Energy", "Nordics", "1000-4999", 2,
        _cats("switchgear", "maint", "spare", "safety"),
        pattern=DECLINING, contacts=6,
        notes="Maintenance services put out to tender; our incumbent position is at risk.",
    ),
    _AccountSpec(
        "Polar Cold Chain Oy", "FI", "polarcoldchain.fi", "Logistics", "Nordics", "50-249", 2,
        _cats("lamps", "spare"),
        pattern=LOST, edge=9, contacts=1, third_circle=False, wallet=False,
    ),
    _AccountSpec(
        "Brightway Stores plc", "GB", "brightway-stores.co.uk", "Retail chains",
        "UK & Ireland", "5000+", 2, _cats("lamps", "maint", "safety", "cable"),
        contacts=7, team=(3,), special="stale_estimate",
        notes="240 stores; store refits run from February to May.",
    ),
    _AccountSpec(
        "Precision Gearworks Ltd", "GB", "precisiongearworks.co.uk", "Manufacturing",
        "UK & Ireland", "50-249", 2, _cats("spare", "lamps", "safety"),
        contacts=2, third_circle=False,
    ),
    # Marco Rossi: Iberia, Italy, Austria & Switzerland, Czechia
    _AccountSpec(
        "Iberflex Construcciones S.A.", "ES", "iberflex.es", "Construction", "Iberia",
        "1000-4999", 3, _cats("safety", "cable", "lamps", "spare"),
        contacts=5, third_circle=False,
    ),
    _AccountSpec(
        "Tecnomarine Cantieri S.p.A.", "IT", "tecnomarine.it", "Manufacturing",
        "Northern Italy", "1000-4999", 3, _cats("cable", "switchgear", "safety", "spare"),
        contacts=6,
        notes="Shipyard in La Spezia; buys per hull project, so orders come in waves.",
    ),
    _AccountSpec(
        "Milano Facility Services S.r.l.", "IT", "milanofacility.it", "Facility services",
        "Northern Italy", "250-999", 3, _cats("maint", "lamps", "safety"),
        contacts=3, third_circle=False,
    ),
    _AccountSpec(
        "Alpenmarkt Handels GmbH", "AT", "alpenmarkt.at", "Retail chains",
        "Austria & Switzerland", "1000-4999", 3, _cats("lamps", "maint", "cable"),
        pattern=DECLINING, contacts=5, team=(0,), special="blocker",
        notes="New procurement director since last year; asks for a price benchmark "
        "every quarter.",
    ),
    _AccountSpec(
        "Alpine Pharma Logistics AG", "CH", "alpinepharma-log.ch", "Healthcare",
        "Austria & Switzerland", "250-999", 3, _cats("safety", "lamps", "maint"),
        contacts=4,
    ),
    _AccountSpec(
        "Datastream Systems Integration GmbH", "AT", "datastream-si.at", "IT services",
        "Austria & Switzerland", "1-49", 3, _cats("cable", "switchgear"),
        pattern=NEW, edge=22, contacts=1, third_circle=False, wallet=False,
    ),
    _AccountSpec(
        "Moravia Automotive Components a.s.", "CZ", "moravia-auto.cz", "Automotive supply",
        "Czechia & Slovakia", "1000-4999", 3,
        _cats("spare", "lamps", "safety", "maint", "switchgear", later={"switchgear": 15}),
        pattern=GROWING, contacts=6,
    ),
)
# fmt: on

# -------------------------------------------------------------------- stakeholders


@dataclass(frozen=True)
class _Role:
    key: str
    circle: int
    title: str
    title_ru: str
    department: str
    department_ru: str
    buying_role: BuyingRole
    influence: int
    bosses: tuple[str, ...] = ()  # keys of who this role usually reports to


# fmt: off
_ROLES: tuple[_Role, ...] = (
    # First circle: buying units' direct representatives and the decision makers.
    _Role("ceo", 1, "Chief Executive Officer", "Генеральный директор",
          "Executive board", "Дирекция", BuyingRole.DECISION_MAKER, 5),
    _Role("proc_dir", 1, "Procurement Director", "Директор по закупкам",
          "Procurement", "Департамент закупок", BuyingRole.ECONOMIC_BUYER, 5, ("ceo",)),
    _Role("head_buying", 1, "Head of Buying Unit, MRO", "Руководитель группы закупок ТМЦ",
          "Procurement", "Департамент закупок", BuyingRole.DECISION_MAKER, 4,
          ("proc_dir", "ceo")),
    _Role("buyer", 1, "Senior Buyer", "Ведущий специалист по закупкам",
          "Procurement", "Департамент закупок", BuyingRole.GATEKEEPER, 3,
          ("head_buying", "proc_dir")),
    _Role("ops", 1, "Operations Director", "Операционный директор",
          "Operations", "Операционная дирекция", BuyingRole.TECHNICAL_BUYER, 4, ("ceo",)),
    _Role("maint_head", 1, "Head of Maintenance", "Главный механик",
          "Maintenance", "Служба главного механика", BuyingRole.USER, 3, ("ops",)),
    # Second circle: support functions that work with us.
    _Role("chief_acc", 2, "Chief Accountant", "Главный бухгалтер",
          "Finance", "Бухгалтерия", BuyingRole.GATEKEEPER, 3, ("ceo",)),
    _Role("ap", 2, "Accounts Payable Specialist", "Бухгалтер по расчётам с поставщиками",
          "Finance", "Бухгалтерия", BuyingRole.OTHER, 1, ("chief_acc",)),
    _Role("logistics", 2, "Logistics Coordinator", "Координатор по логистике",
          "Logistics", "Отдел логистики", BuyingRole.USER, 2, ("ops",)),
    _Role("warehouse", 2, "Warehouse Manager", "Начальник склада",
          "Logistics", "Склад", BuyingRole.USER, 2, ("logistics", "ops")),
    _Role("legal", 2, "Legal Counsel", "Юрисконсульт",
          "Legal", "Юридический отдел", BuyingRole.GATEKEEPER, 3, ("ceo",)),
    _Role("contracts", 2, "Contract Manager", "Менеджер по договорной работе",
          "Legal", "Юридический отдел", BuyingRole.GATEKEEPER, 2, ("legal", "proc_dir")),
    # Third circle: influence decisions without dealing with us.
    _Role("cio", 3, "Chief Information Officer", "ИТ-директор",
          "IT", "Департамент ИТ", BuyingRole.INFLUENCER, 4, ("ceo",)),
    _Role("itsec", 3, "IT Security Lead", "Руководитель службы информационной безопасности",
          "IT security", "Служба информационной безопасности", BuyingRole.INFLUENCER, 3,
          ("cio",)),
    _Role("facilities", 3, "Facilities Manager", "Руководитель АХО",
          "Facilities", "Административно-хозяйственный отдел", BuyingRole.INFLUENCER, 3,
          ("ops", "ceo")),
    _Role("hse", 3, "Head of Health & Safety", "Руководитель службы охраны труда",
          "HSE", "Служба охраны труда", BuyingRole.INFLUENCER, 3, ("ops",)),
    _Role("esg", 3, "Sustainability Officer", "Менеджер по устойчивому развитию",
          "Sustainability", "Устойчивое развитие", BuyingRole.INFLUENCER, 2, ("ceo",)),
)
# fmt: on
_ROLE_ORDER = {r.key: i for i, r in enumerate(_ROLES)}
_ROLE_BY_KEY = {r.key: r for r in _ROLES}
_STANCES = (Stance.CHAMPION, Stance.SUPPORTER, Stance.NEUTRAL, Stance.SKEPTIC)
_STANCE_WEIGHTS = (9, 33, 45, 13)

_STAKEHOLDER_NOTES = (
    "Prefers e-mail to phone calls; answers within a day.",
    "Met at our client day in spring; interested in the LED retrofit.",
    "Asks for a quarterly consumption report per site.",
    "Still remembers the delivery delay of last winter.",
    "Signs off every order above 10,000 personally.",
    "Reads the technical data sheets carefully; send them before the offer.",
    "Good relationship; invited to the autumn client day.",
    "Compares our prices with two competitors every quarter.",
    "Wants invoices referencing their purchase order number.",
    "Not involved in orders, but the budget goes through them.",
)

# Given names (male, female) and family names ("male/female" when they differ).
# fmt: off
_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "DE": (("Thomas", "Michael", "Stefan", "Jens", "Markus", "Tobias", "Florian", "Lukas"),
           ("Sabine", "Julia", "Claudia", "Miriam", "Katrin", "Lena", "Petra", "Anja"),
           ("Müller", "Schmidt", "Schneider", "Fischer", "Wagner", "Hoffmann", "Schäfer",
            "Koch", "Richter", "Klein", "Wolf", "Neumann", "Zimmermann", "Braun")),
    "AT": (("Georg", "Andreas", "Christoph", "Martin", "Wolfgang", "Bernhard"),
           ("Elisabeth", "Verena", "Theresa", "Monika", "Barbara", "Sandra"),
           ("Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner", "Moser", "Mayer",
            "Hofer", "Leitner")),
    "CH": (("Reto", "Urs", "Daniel", "Beat", "Lukas", "Marco"),
           ("Andrea", "Nicole", "Corinne", "Daniela", "Simone", "Franziska"),
           ("Meier", "Keller", "Brunner", "Baumann", "Frei", "Gerber", "Widmer", "Zürcher")),
    "NL": (("Jeroen", "Bas", "Sander", "Maarten", "Ruben", "Wouter"),
           ("Sanne", "Anouk", "Femke", "Lotte", "Marieke", "Eva"),
           ("de Jong", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
            "Bos", "Vos")),
    "SE": (("Erik", "Lars", "Anders", "Johan", "Magnus", "Henrik"),
           ("Karin", "Maria", "Elin", "Emma", "Ingrid", "Sara"),
           ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Berg",
            "Lindström")),
    "NO": (("Ole", "Kristian", "Håkon", "Magnus", "Eirik", "Sindre"),
           ("Ingrid", "Kari", "Silje", "Marte", "Hanne", "Ragnhild"),
           ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Berg", "Haugen", "Dahl")),
    "FI": (("Mikko", "Juha", "Antti", "Jari", "Ville"),
           ("Anna", "Liisa", "Johanna", "Sanna", "Riikka"),
           ("Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Laine", "Heikkinen")),
    "PL": (("Piotr", "Krzysztof", "Tomasz", "Paweł", "Marcin", "Łukasz"),
           ("Anna", "Katarzyna", "Agnieszka", "Magdalena", "Joanna", "Ewa"),
           ("Nowak", "Kowalczyk", "Wiśniewski/Wiśniewska", "Wójcik", "Kamiński/Kamińska",
            "Lewandowski/Lewandowska", "Zieliński/Zielińska", "Szymański/Szymańska")),
    "LV": (("Jānis", "Andris", "Māris", "Edgars", "Kristaps"),
           ("Ilze", "Inese", "Laura", "Kristīne", "Dace"),
           ("Bērziņš/Bērziņa", "Kalniņš/Kalniņa", "Ozols/Ozola", "Liepiņš/Liepiņa",
            "Krūmiņš/Krūmiņa", "Zariņš/Zariņa")),
    "RU": (("Алексей", "Дмитрий", "Сергей", "Андрей", "Михаил", "Игорь", "Павел", "Николай"),
           ("Ирина", "Елена", "Ольга", "Наталья", "Татьяна", "Светлана", "Марина", "Анна"),
           ("Иванов/Иванова", "Смирнов/Смирнова", "Кузнецов/Кузнецова", "Попов/Попова",
            "Соколов/Соколова", "Лебедев/Лебедева", "Новиков/Новикова", "Морозов/Морозова",
            "Фёдоров/Фёдорова", "Белозерский/Белозерская", "Орлов/Орлова",
            "Захаров/Захарова")),
    "GB": (("James", "Oliver", "Daniel", "Matthew", "Richard", "Tom"),
           ("Emma", "Charlotte", "Rachel", "Sophie", "Hannah", "Claire"),
           ("Smith", "Taylor", "Brown", "Wilson", "Evans", "Thompson", "Walker", "Hughes")),
    "ES": (("Javier", "Carlos", "Alejandro", "Miguel", "Pablo", "Sergio"),
           ("Lucía", "Carmen", "Marta", "Elena", "Laura", "Cristina"),
           ("García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro",
            "Ruiz")),
    "IT": (("Luca", "Andrea", "Francesco", "Matteo", "Alessandro", "Giorgio"),
           ("Giulia", "Chiara", "Francesca", "Sara", "Valentina", "Elena"),
           ("Bianchi", "Ferrari", "Esposito", "Romano", "Colombo", "Ricci", "Marino",
            "Greco")),
    "CZ": (("Jan", "Petr", "Tomáš", "Martin", "Jiří", "Pavel"),
           ("Jana", "Petra", "Lucie", "Kateřina", "Eva", "Tereza"),
           ("Novák/Nováková", "Svoboda/Svobodová", "Dvořák/Dvořáková", "Černý/Černá",
            "Procházka/Procházková", "Kučera/Kučerová")),
}

_PHONE_PREFIX = {
    "DE": "+49", "AT": "+43", "CH": "+41", "NL": "+31", "SE": "+46", "NO": "+47",
    "FI": "+358", "PL": "+48", "LV": "+371", "RU": "+7", "GB": "+44", "ES": "+34",
    "IT": "+39", "CZ": "+420",
}

_RU_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}
# fmt: on
_LATIN_FOLD = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ł": "l", "ø": "o", "æ": "ae"}

# ------------------------------------------------------------------ wallet sources

_SOURCES = (
    ("annual report", ("high", "medium")),
    ("procurement interview", ("medium", "high")),
    ("industry benchmark", ("low", "medium")),
)

# ------------------------------------------------------------------------- summary


@dataclass
class DemoSummary:
    """What the demo holds; ``created`` is False when it was already there."""

    logins: list[tuple[str, str]] = field(default_factory=list)
    created: bool = False
    users: int = 0
    accounts: int = 0
    stakeholders: int = 0
    categories: int = 0
    orders: int = 0
    wallet_estimates: int = 0
    first_order: date | None = None
    last_order: date | None = None

    def describe(self) -> str:
        state = (
            "Built the demo data"
            if self.created
            else "The demo data was already there, nothing was written"
        )
        roles = ", ".join(
            _plural(sum(1 for _, r in self.logins if r == role.value), *_ROLE_NOUNS[role])
            for role in Role
            if any(r == role.value for _, r in self.logins)
        )
        period = (
            f" from {self.first_order.isoformat()} to {self.last_order.isoformat()}"
            if self.first_order and self.last_order
            else ""
        )
        return (
            f"{state}: {_plural(self.users, 'user', 'users')} ({roles}), "
            f"{_plural(self.accounts, 'account', 'accounts')} with "
            f"{_plural(self.stakeholders, 'stakeholder', 'stakeholders')}, "
            f"{_plural(self.orders, 'order', 'orders')} in "
            f"{_plural(self.categories, 'product category', 'product categories')}{period}, "
            f"and {_plural(self.wallet_estimates, 'wallet estimate', 'wallet estimates')}."
        )


_ROLE_NOUNS = {
    Role.ACCOUNT_MANAGER: ("account manager", "account managers"),
    Role.SALES_LEAD: ("sales lead", "sales leads"),
    Role.FINANCE: ("finance user", "finance users"),
    Role.ADMIN: ("admin", "admins"),
}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


# --------------------------------------------------------------------------- build


def build_demo(as_of: date | None = None) -> DemoSummary:
    """Build the demo portfolio (or describe it if it exists); one commit, all or nothing."""
    as_of = as_of or date.today()
    if db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL)) is not None:
        return _summarise(created=False)
    try:
        _Builder(as_of, current_app.config["BASE_CURRENCY"]).build()
        db.session.flush()
        from b2b_loyalty.demo_schedules import build_demo_schedules

        finance = db.session.scalar(
            select(User).where(User.role == Role.FINANCE.value, User.email.like(f"%@{DEMO_DOMAIN}"))
        )
        admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
        build_demo_schedules(drafter=admin, approver=finance, as_of=as_of)
        db.session.flush()
        from b2b_loyalty.plugin_host import plugin_host

        plugin_host().manager.hook.build_demo_data(as_of=as_of)
        db.session.flush()
        from b2b_loyalty.services.order_stats import refresh_order_stats

        refresh_order_stats(db.session.scalars(select(Account.id)).all())
        summary = _summarise(created=True)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return summary


def demo_window(as_of: date) -> tuple[date, date]:
    """From the first day of the month 23 months before ``as_of``'s month to the day
    before ``as_of``: two years of orders that run up to yesterday, so lifecycle
    stages (measured in days since the last order) look like a living portfolio."""
    end = as_of - timedelta(days=1)
    return _add_months(as_of.replace(day=1), -(MONTHS - 1)), end


def _summarise(*, created: bool) -> DemoSummary:
    users = db.session.scalars(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}"))).all()
    by_email = {u.email: u for u in users}
    logins = [(s.email, by_email[s.email].role) for s in DEMO_USERS if s.email in by_email]
    account_ids = select(Account.id).where(Account.owner_id.in_([u.id for u in users]))

    def count(model) -> int:  # noqa: ANN001 - a model with account_id
        return db.session.scalar(
            select(func.count()).select_from(model).where(model.account_id.in_(account_ids))
        )

    first, last = db.session.execute(
        select(func.min(Order.order_date), func.max(Order.order_date)).where(
            Order.account_id.in_(account_ids)
        )
    ).one()
    return DemoSummary(
        logins=logins,
        created=created,
        users=len(users),
        accounts=db.session.scalar(select(func.count()).select_from(account_ids.subquery())),
        stakeholders=count(Stakeholder),
        categories=db.session.scalar(
            select(func.count(ProductCategory.id)).where(
                func.lower(ProductCategory.name).in_([c.name.lower() for c in CATEGORIES])
            )
        ),
        orders=count(Order),
        wallet_estimates=count(WalletEstimate),
        first_order=first,
        last_order=last,
    )


@dataclass
class _OrderDraft:
    account: int  # index into ACCOUNTS
    category: str
    order_date: date
    quantity: int
    unit_price: Decimal
    unit_cost: Decimal
    discount_percent: int


class _Builder:
    def __init__(self, as_of: date, currency: str) -> None:
        self.rng = random.Random(DEMO_SEED)
        self.start, self.end = demo_window(as_of)
        self.currency = currency
        self.users: list[User] = []
        self.categories: dict[str, ProductCategory] = {}
        self.accounts: list[Account] = []

    def build(self) -> None:
        self._users()
        self._categories()
        self._accounts()
        db.session.flush()  # ids for the bulk order insert
        drafts = self._orders()
        self._wallet_estimates(drafts)

    # -- users ------------------------------------------------------------------

    def _users(self) -> None:
        taken = db.session.scalars(
            select(User.email).where(User.email.in_([s.email for s in DEMO_USERS]))
        ).all()
        if taken:
            raise RuntimeError(
                "Cannot build the demo: these demo e-mails are already in use: "
                + ", ".join(sorted(taken))
            )
        password_hash = None
        for spec in DEMO_USERS:
            user = User(email=spec.email, name=spec.name, role=spec.role.value, locale=spec.locale)
            if password_hash is None:  # scrypt is slow: hash once, share the hash
                user.set_password(DEMO_PASSWORD)
                password_hash = user.password_hash
            user.password_hash = password_hash
            self.users.append(user)
        db.session.add_all(self.users)

    # -- categories -------------------------------------------------------------

    def _categories(self) -> None:
        existing = {
            c.name.lower(): c
            for c in db.session.scalars(
                select(ProductCategory).where(
                    func.lower(ProductCategory.name).in_([c.name.lower() for c in CATEGORIES])
                )
            )
        }
        for spec in CATEGORIES:
            category = existing.get(spec.name.lower()) or ProductCategory(name=spec.name)
            self.categories[spec.key] = category
            db.session.add(category)

    # -- accounts and their people ----------------------------------------------

    def _accounts(self) -> None:
        rng = self.rng
        tax_ids: list[str] = []
        for spec in ACCOUNTS:
            tax_id = _tax_id(rng, spec.country)
            while tax_id in tax_ids:
                tax_id = _tax_id(rng, spec.country)
            tax_ids.append(tax_id)
        clash = db.session.scalars(select(Account.name).where(Account.tax_id.in_(tax_ids))).all()
        if clash:
            raise RuntimeError(
                "Cannot build the demo: its tax ids are used by " + ", ".join(sorted(clash))
            )
        managers = [self.users[i] for i in MANAGERS]
        for spec, tax_id in zip(ACCOUNTS, tax_ids, strict=True):
            owner = managers[spec.owner]
            account = Account(
                name=spec.name,
                tax_id=tax_id,
                industry=spec.industry,
                region=spec.region,
                size_band=spec.size,
                owner=owner,
                notes=spec.notes,
            )
            account.team = [managers[i] for i in spec.team if managers[i] is not owner]
            self.accounts.append(account)
            db.session.add(account)
            self._stakeholders(spec, account)

    def _stakeholders(self, spec: _AccountSpec, account: Account) -> None:
        rng = self.rng
        keys = self._pick_roles(spec)
        created: list[tuple[str, Stakeholder]] = []
        used_names: list[str] = []
        for position, key in enumerate(keys):
            role = _ROLE_BY_KEY[key]
            female = rng.random() < 0.45
            name, first, last = _person_name(rng, spec.country, female)
            while name in used_names:
                name, first, last = _person_name(rng, spec.country, female)
            used_names.append(name)
            ru = spec.country == "RU"
            title = role.title_ru if ru else role.title
            if key == "ceo" and spec.size in ("1-49", "50-249") and not ru:
                title = "Managing Director"
            stance = rng.choices(_STANCES, weights=_STANCE_WEIGHTS)[0]
            influence = min(5, max(1, role.influence + rng.choice((-1, 0, 0, 0, 1))))
            buying_role = role.buying_role
            if stance is Stance.CHAMPION and rng.random() < 0.5:
                buying_role = BuyingRole.CHAMPION
            boss = None
            for boss_key in role.bosses:
                found = [s for k, s in created if k == boss_key]
                if found:
                    boss = found[0] if rng.random() < 0.75 else None
                    break
            active = not (position > 0 and rng.random() < 0.05)
            note = rng.choice(_STAKEHOLDER_NOTES) if rng.random() < 0.25 else None
            if not active:
                note = "Left the company; ask who took over."
            with_email = rng.random() < 0.9
            with_phone = rng.random() < 0.8
            phone = _phone(rng, spec.country)
            if (
                spec.special == "champion_left"
                and key in ("head_buying", "proc_dir", "buyer")
                and (
                    not any(s.stance == Stance.CHAMPION.value and not s.active for _, s in created)
                )
            ):
                stance, active, buying_role, influence = (
                    Stance.CHAMPION,
                    False,
                    BuyingRole.CHAMPION,
                    4,
                )
                note = "Our champion for six years; left the company. Orders stopped soon after."
            if spec.special == "blocker" and key == "proc_dir":
                stance, influence = Stance.BLOCKER, 5
                note = "Joined from a competitor's key client; pushes every category into a tender."
            stakeholder = Stakeholder(
                account=account,
                name=name,
                title=title,
                department=role.department_ru if ru else role.department,
                email=f"{_ascii(first)}.{_ascii(last)}@{spec.web}" if with_email else None,
                phone=phone if with_phone else None,
                circle=role.circle,
                buying_role=buying_role.value,
                stance=stance.value,
                influence=influence,
                reports_to=boss,
                active=active,
                notes=note,
            )
            created.append((key, stakeholder))
        db.session.add_all([s for _, s in created])

    def _pick_roles(self, spec: _AccountSpec) -> list[str]:
        """Role keys for the account's contacts, bosses before the people reporting to them."""
        rng = self.rng
        n = spec.contacts
        small = spec.size in ("1-49", "50-249")
        if n == 1:
            return ["ceo" if small else "proc_dir"]
        third = max(1, n // 4) if spec.third_circle else 0
        first = (n - third + 1) // 2  # the first circle is never the smallest
        second = n - third - first
        picked: list[str] = []
        for circle, count in ((1, first), (2, second), (3, third)):
            pool = [r.key for r in _ROLES if r.circle == circle]
            picked += rng.sample(pool, count)
        if "ceo" not in picked and "proc_dir" not in picked:
            picked[0] = "ceo" if small else "proc_dir"
        if spec.special == "blocker" and "proc_dir" not in picked:
            picked[0] = "proc_dir"
        if spec.special == "champion_left" and not {"head_buying", "buyer", "proc_dir"} & set(
            picked
        ):
            picked[-1] = "buyer"
        return sorted(picked, key=_ROLE_ORDER.__getitem__)

    # -- orders -------------------------------------------------------------------

    def _orders(self) -> list[_OrderDraft]:
        rng = self.rng
        drafts: list[_OrderDraft] = []
        for index, spec in enumerate(ACCOUNTS):
            discount_rate = rng.choice(_DISCOUNT_CHOICES[spec.size])
            base_prices = {}
            for key, _since in spec.categories:
                cat = _CATEGORY_BY_KEY[key]
                # Bigger clients negotiate prices nearer the low end of the range.
                reach = rng.random() * (1 - 0.15 * SIZE_BANDS.index(spec.size))
                base_prices[key] = cat.price_low + (cat.price_high - cat.price_low) * reach
            for month in range(MONTHS):
                first_day = _add_months(self.start, month)
                workdays = [d for d in _workdays(first_day) if d <= self.end]
                if not workdays:
                    continue
                trend = _trend(spec.pattern, month)
                active = not (
                    (spec.pattern == LOST and month > spec.edge)
                    or (spec.pattern == NEW and month < spec.edge)
                )
                for position, (key, since) in enumerate(spec.categories):
                    if not active or month < since:
                        continue
                    rate = (
                        _FREQUENCY[spec.size]
                        * _CATEGORY_WEIGHTS[position]
                        * _SEASON[first_day.month]
                        * trend
                    )
                    count = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
                    if spec.pattern == NEW and month == spec.edge and position == 0:
                        count = max(count, 1)  # a new client has its first order
                    for _ in range(count):
                        drafts.append(
                            self._order(
                                index,
                                spec,
                                key,
                                workdays,
                                month,
                                trend,
                                base_prices[key],
                                discount_rate,
                            )
                        )
        drafts.sort(key=lambda d: (d.order_date, d.account, d.category))
        rows = []
        serial: dict[int, int] = {}
        for d in drafts:
            serial[d.order_date.year] = serial.get(d.order_date.year, 0) + 1
            quantity = Decimal(d.quantity)
            list_amount = round_money(quantity * d.unit_price, self.currency)
            discount = round_money(list_amount * d.discount_percent / 100, self.currency)
            rows.append(
                {
                    "account_id": self.accounts[d.account].id,
                    "order_date": d.order_date,
                    "category_id": self.categories[d.category].id,
                    "quantity": quantity,
                    "unit_price": d.unit_price,
                    "list_amount": list_amount,
                    "discount_amount": discount,
                    "net_amount": list_amount - discount,
                    "unit_cost": d.unit_cost,
                    "currency": self.currency,
                    "external_ref": f"INV-{d.order_date.year}-{serial[d.order_date.year]:06d}",
                }
            )
        if rows:
            db.session.execute(insert(Order), rows)
        return drafts

    def _order(
        self,
        index: int,
        spec: _AccountSpec,
        key: str,
        workdays: list[date],
        month: int,
        trend: float,
        base_price: float,
        discount_rate: int,
    ) -> _OrderDraft:
        rng = self.rng
        cat = _CATEGORY_BY_KEY[key]
        day = workdays[int(rng.random() * len(workdays))]
        volume = _VOLUME[spec.size] * (0.6 + 0.4 * trend)
        quantity = max(1, round(rng.triangular(cat.qty_low, cat.qty_high, cat.qty_mode) * volume))
        # Prices rise ~3 % a year, with a little noise per order.
        price = base_price * (1 + 0.03 * month / 12) * (1 + rng.uniform(-0.02, 0.02))
        unit_price = _cents(price)
        cost_ratio = min(0.74, max(0.56, cat.cost_ratio + rng.uniform(-0.03, 0.03)))
        unit_cost = _cents(price * cost_ratio)
        list_estimate = quantity * price
        percent = 0
        if list_estimate >= _DISCOUNT_FROM:
            percent = discount_rate
            if list_estimate >= _EXTRA_DISCOUNT_FROM:
                percent = min(10, percent + 2)
        return _OrderDraft(index, key, day, quantity, unit_price, unit_cost, percent)

    # -- wallet estimates -----------------------------------------------------------

    def _wallet_estimates(self, drafts: list[_OrderDraft]) -> None:
        rng = self.rng
        prev_year, cur_year = self.end.year - 1, self.end.year
        months_in_cur = self.end.month
        revenue: dict[tuple[int, str, int], float] = {}
        for d in drafts:
            k = (d.account, d.category, d.order_date.year)
            revenue[k] = revenue.get(k, 0.0) + float(d.unit_price) * d.quantity
        estimates: list[WalletEstimate] = []
        for index, spec in enumerate(ACCOUNTS):
            kind = rng.choice(("category", "all", "mixed", "category"))
            if spec.special == "stale_estimate":
                kind = "mixed"
            source, confidences = rng.choice(_SOURCES)
            confidence = rng.choice(confidences)
            growth = rng.uniform(-0.04, 0.09)
            if not spec.wallet:
                continue
            wallets: list[tuple[str, float]] = []
            for position, (key, _since) in enumerate(spec.categories):
                ours = revenue.get((index, key, prev_year), 0.0)
                if ours == 0:
                    ours = revenue.get((index, key, cur_year), 0.0) * 12 / months_in_cur
                share = rng.uniform(0.2, 0.8)
                if spec.special == "stale_estimate" and position == 0:
                    share = 1.15  # the estimate is older than our growth there
                if ours > 0:
                    wallets.append((key, ours / share))
            account = self.accounts[index]
            per_category = wallets[: 1 + len(wallets) // 2] if kind in ("category", "mixed") else []
            for key, wallet in per_category:
                for year, spend in ((prev_year, wallet), (cur_year, wallet * (1 + growth))):
                    estimates.append(
                        WalletEstimate(
                            account=account,
                            year=year,
                            category=self.categories[key],
                            estimated_spend=_thousands(spend),
                            source=source,
                            confidence=confidence,
                            note=(
                                "Older benchmark; our sales already exceed it, revisit."
                                if spec.special == "stale_estimate" and key == spec.categories[0][0]
                                else None
                            ),
                        )
                    )
            if kind in ("all", "mixed") and wallets:
                # Their whole spend on what we sell, including what they buy elsewhere.
                total = sum(w for _, w in wallets) * rng.uniform(1.2, 1.6)
                for year, spend in ((prev_year, total), (cur_year, total * (1 + growth))):
                    estimates.append(
                        WalletEstimate(
                            account=account,
                            year=year,
                            category=None,
                            estimated_spend=_thousands(spend),
                            source=source,
                            confidence=confidence,
                            note="All categories we sell, from our side and competitors'.",
                        )
                    )
        db.session.add_all(estimates)


# ------------------------------------------------------------------------- helpers


def _add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _workdays(first_day: date) -> list[date]:
    """Monday to Friday of the month starting on ``first_day``: B2B orders come on workdays."""
    days = calendar.monthrange(first_day.year, first_day.month)[1]
    every = (first_day.replace(day=d) for d in range(1, days + 1))
    return [d for d in every if d.weekday() < 5]


def _trend(pattern: str, month: int) -> float:
    progress = month / (MONTHS - 1)
    if pattern == GROWING:
        return 0.7 + 0.7 * progress
    if pattern == DECLINING:
        return 1.3 - 0.8 * progress
    return 1.0


def _cents(value: float) -> Decimal:
    return Decimal(int(round(value * 100))).scaleb(-2)


def _thousands(value: float) -> Decimal:
    return Decimal(max(1, int(round(value / 1000))) * 1000).quantize(Decimal("0.01"))


def _person_name(rng: random.Random, country: str, female: bool) -> tuple[str, str, str]:
    males, females, families = _NAMES[country]
    first = rng.choice(females if female else males)
    family = rng.choice(families)
    if "/" in family:
        family = family.split("/")[1 if female else 0]
    return f"{first} {family}", first, family


def _ascii(text: str) -> str:
    """E-mail-safe lower-case form of a name: ``Müller`` -> ``mueller``, ``Орлова`` -> ``orlova``."""
    out = []
    for ch in text.lower():
        if ch in _RU_TRANSLIT:
            out.append(_RU_TRANSLIT[ch])
        elif ch in _LATIN_FOLD:
            out.append(_LATIN_FOLD[ch])
        else:
            out.append(ch)
    folded = unicodedata.normalize("NFKD", "".join(out))
    return "".join(ch for ch in folded if ch.isascii() and (ch.isalnum() or ch == "-"))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _phone(rng: random.Random, country: str) -> str:
    if country == "RU":
        return f"+7 {rng.randint(812, 999)} {_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 2)}"
    return f"{_PHONE_PREFIX[country]} {rng.randint(20, 89)} {_digits(rng, 3)} {_digits(rng, 4)}"


def _inn(rng: random.Random) -> str:
    """A Russian company tax id (INN, 10 digits) with a valid check digit."""
    body = [rng.randint(1, 9)] + [rng.randrange(10) for _ in range(8)]
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    check = sum(w * d for w, d in zip(weights, body, strict=True)) % 11 % 10
    return "".join(map(str, body)) + str(check)


def _tax_id(rng: random.Random, country: str) -> str:
    """A made-up VAT/tax number in the country's usual format."""
    match country:
        case "RU":
            return _inn(rng)
        case "NL":
            return f"NL{_digits(rng, 9)}B01"
        case "SE":
            return f"SE{_digits(rng, 10)}01"
        case "NO":
            return f"NO{_digits(rng, 9)}MVA"
        case "AT":
            return f"ATU{_digits(rng, 8)}"
        case "CH":
            return f"CHE-{_digits(rng, 3)}.{_digits(rng, 3)}.{_digits(rng, 3)} MWST"
        case "ES":
            return f"ESA{_digits(rng, 8)}"
        case "FI" | "CZ":
            return f"{country}{_digits(rng, 8)}"
        case "PL":
            return f"PL{_digits(rng, 10)}"
        case "IT" | "LV":
            return f"{country}{_digits(rng, 11)}"
        case _:  # DE, GB
            return f"{country}{_digits(rng, 9)}"
