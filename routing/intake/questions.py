"""Whole questions as headers: the words that point at a field, and how strongly.

Google Forms writes each question as its column's header: "Street address (include apt
#)", "How many bags?", "Best delivery time", "¿Cuántas cajas necesita?". Each entry of
:data:`DELIVERY_WORDS` and :data:`DRIVER_WORDS` is ``(words, field, weight)``: finding the
words in a header is evidence of that weight (0-100) that the column holds the field.
:func:`routing.intake.columns.map_columns` adds a little when the words are in the
question itself rather than in a parenthesis or a hint after it, and gives each column to
the field with the strongest evidence, so that "Street address (include apt #)" is the
address, not the unit.

A field of ``""`` marks questions that hold nothing the plan uses ("How many people live
in your household?" is not a number of boxes); :data:`DELIVERY_FIELDS` and
:data:`DRIVER_FIELDS` bundle everything a sheet of either kind needs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from routing.intake.aliases import DELIVERY_ALIASES, DRIVER_ALIASES

Words = tuple[tuple[str, str, int], ...]

#: Questions that hold nothing a plan uses, in deliveries and rosters alike.
_NOT_NEEDED: Words = (
    ("timestamp", "", 99),
    ("marca temporal", "", 99),
    ("people", "", 90),
    ("household size", "", 95),
    ("personas", "", 90),
    ("adults", "", 90),
    ("children", "", 90),
    ("kids", "", 90),
    ("ninos", "", 90),
    ("age", "", 80),
    ("edad", "", 80),
    ("birth", "", 90),
    ("consent", "", 90),
    ("agree", "", 85),
    ("acepto", "", 85),
    ("how did you hear", "", 95),
    # The area says where addresses are: a state or country column adds nothing. Weak,
    # so that "City, state and zip" stays what its other words say.
    ("state", "", 60),
    ("province", "", 60),
    ("provincia", "", 60),
    ("county", "", 60),
    ("country", "", 60),
)

_PHONE: Words = (
    ("phone", "phone", 85),
    ("telefono", "phone", 85),
    ("celular", "phone", 85),
    ("mobile", "phone", 80),
    ("cell", "phone", 70),
    ("whatsapp", "phone", 75),
    ("text you", "phone", 70),
)
_EMAIL: Words = (
    ("email", "email", 95),
    ("e mail", "email", 95),
    ("correo", "email", 95),
)
_NAMES: Words = (
    ("first name", "first_name", 90),
    ("given name", "first_name", 90),
    ("nombre de pila", "first_name", 90),
    ("last name", "last_name", 90),
    ("surname", "last_name", 90),
    ("family name", "last_name", 90),
    ("apellido", "last_name", 90),
    ("apellidos", "last_name", 90),
    ("name", "name", 70),
    ("nombre", "name", 70),
    ("who", "name", 50),
)

#: Words that point at a delivery field inside a longer question.
DELIVERY_WORDS: Words = (
    *_NOT_NEEDED,
    *_EMAIL,
    *_PHONE,
    *_NAMES,
    ("frozen", "frozen", 90),
    ("congelados", "frozen", 90),
    ("congelado", "frozen", 90),
    ("refrigerados", "frozen", 90),
    ("cold", "frozen", 70),
    ("stairs", "stairs", 90),
    ("walk up", "stairs", 90),
    ("elevator", "stairs", 85),
    ("escaleras", "stairs", 90),
    ("ascensor", "stairs", 85),
    ("elevador", "stairs", 85),
    ("zip", "postcode", 90),
    ("postal", "postcode", 90),
    ("codigo postal", "postcode", 95),
    ("apartment", "unit", 85),
    ("apt", "unit", 85),
    ("unit", "unit", 80),
    ("suite", "unit", 75),
    ("apartamento", "unit", 85),
    ("depto", "unit", 85),
    ("departamento", "unit", 85),
    ("interior", "unit", 70),
    ("address", "address", 85),
    ("direccion", "address", 85),
    ("domicilio", "address", 85),
    ("street", "address", 75),
    ("calle", "address", 75),
    ("where do you live", "address", 92),
    ("donde vive", "address", 92),
    ("donde vives", "address", 92),
    ("live", "address", 60),
    ("where", "address", 55),
    ("donde", "address", 55),
    ("deliver to", "address", 70),
    ("boxes", "boxes", 85),
    ("box", "boxes", 80),
    ("bags", "boxes", 85),
    ("bag", "boxes", 80),
    ("cajas", "boxes", 85),
    ("bolsas", "boxes", 85),
    ("despensas", "boxes", 85),
    ("packages", "boxes", 70),
    ("how many", "boxes", 60),
    ("cuantas", "boxes", 60),
    ("cuantos", "boxes", 55),
    ("cantidad", "boxes", 70),
    ("language", "language", 85),
    ("languages", "language", 85),
    ("idioma", "language", 85),
    ("lengua", "language", 75),
    ("speak", "language", 70),
    ("habla", "language", 70),
    ("delivery time", "window", 90),
    ("best time", "window", 88),
    ("what time", "window", 85),
    ("window", "window", 85),
    ("horario", "window", 85),
    ("hora", "window", 80),
    ("availability", "window", 80),
    ("available", "window", 75),
    ("disponibilidad", "window", 80),
    ("disponible", "window", 75),
    ("time", "window", 70),
    ("when", "window", 65),
    ("cuando", "window", 65),
    ("leave", "notes", 88),
    ("nobody", "notes", 80),
    ("no one", "notes", 80),
    ("notes", "notes", 80),
    ("note", "notes", 75),
    ("anything else", "notes", 80),
    ("instructions", "notes", 80),
    ("comments", "notes", 80),
    ("allergies", "notes", 70),
    ("dietary", "notes", 70),
    ("notas", "notes", 80),
    ("comentarios", "notes", 80),
    ("instrucciones", "notes", 80),
    ("observaciones", "notes", 80),
    ("algo mas", "notes", 75),
    ("alergias", "notes", 70),
    ("urgent", "urgent", 80),
    ("urgente", "urgent", 80),
    ("priority", "urgent", 70),
)

#: Words that point at a roster field inside a longer question.
DRIVER_WORDS: Words = (
    *_NOT_NEEDED,
    *_EMAIL,
    *_PHONE,
    *_NAMES,
    ("frozen", "capacity_frozen", 90),
    ("cooler", "capacity_frozen", 90),
    ("congelados", "capacity_frozen", 90),
    ("hielera", "capacity_frozen", 90),
    ("how many boxes", "capacity", 92),
    ("capacity", "capacity", 90),
    ("capacidad", "capacity", 90),
    ("boxes", "capacity", 80),
    ("bags", "capacity", 80),
    ("cajas", "capacity", 80),
    ("bolsas", "capacity", 80),
    ("fit", "capacity", 70),
    ("caben", "capacity", 70),
    ("language", "languages", 85),
    ("languages", "languages", 85),
    ("idioma", "languages", 85),
    ("idiomas", "languages", 85),
    ("speak", "languages", 75),
    ("habla", "languages", 75),
    ("page", "page_language", 90),
    ("pagina", "page_language", 90),
    ("availability", "window", 85),
    ("available", "window", 80),
    ("disponibilidad", "window", 85),
    ("disponible", "window", 85),
    ("what time", "window", 85),
    ("shift", "window", 85),
    ("turno", "window", 85),
    ("horario", "window", 85),
    ("hours", "window", 75),
    ("hora", "window", 75),
    ("when", "window", 65),
    ("cuando", "window", 65),
    ("address", "home", 80),
    ("direccion", "home", 85),
    ("domicilio", "home", 85),
    ("home", "home", 70),
    ("end", "end", 60),
    ("finish", "end", 60),
    ("termina", "end", 60),
    ("vehicle", "profile", 80),
    ("vehiculo", "profile", 80),
    ("transport", "profile", 75),
    ("transporte", "profile", 75),
    ("skills", "skills", 85),
    ("habilidades", "skills", 85),
    ("can do", "skills", 70),
    ("notes", "notes", 80),
    ("notas", "notes", 80),
    ("comments", "notes", 80),
    ("comentarios", "notes", 80),
    ("anything else", "notes", 80),
    ("hub", "hub", 80),
    ("pickup", "hub", 75),
    ("pick up", "hub", 75),
    ("recoger", "hub", 75),
)

#: Fields whose value is a yes/no (or a count asked as one): "Do you need frozen items?"
#: may hold them; for any other field a yes/no question is weak evidence.
FLAG_FIELDS = frozenset({"stairs", "urgent", "frozen", "capacity_frozen"})


@dataclass(frozen=True)
class FieldSet:
    """What reading one kind of sheet needs to know about its columns."""

    #: "deliveries" or "drivers".
    kind: str
    #: field -> header spellings (folded).
    aliases: Mapping[str, Sequence[str]]
    #: (words, field, weight) found inside longer questions.
    words: Words
    #: Names the field still missing for the sheet to be read, or ``None``.
    required: Callable[[Mapping[str, int]], str | None]
    #: Recognised, so never taken for another field, but not used for planning.
    unused: frozenset[str]
    #: Fields that change whom a stop may go to: reading one from a guess is warned about.
    confirm: frozenset[str]
    #: The command-line options that map these headers and choose the sheet.
    option: str
    sheet_option: str


def _needs_address(cols: Mapping[str, int]) -> str | None:
    return None if "address" in cols or ("lat" in cols and "lon" in cols) else "address"


def _needs_name(cols: Mapping[str, int]) -> str | None:
    return None if "name" in cols or "first_name" in cols else "name"


DELIVERY_FIELDS = FieldSet(
    kind="deliveries",
    aliases=DELIVERY_ALIASES,
    words=DELIVERY_WORDS,
    required=_needs_address,
    unused=frozenset({"email"}),
    confirm=frozenset({"requires", "driver", "exclude_drivers"}),
    option="--columns",
    sheet_option="--sheet",
)

DRIVER_FIELDS = FieldSet(
    kind="drivers",
    aliases=DRIVER_ALIASES,
    words=DRIVER_WORDS,
    required=_needs_name,
    unused=frozenset({"email", "notes"}),
    confirm=frozenset({"skills", "hub"}),
    option="--driver-columns",
    sheet_option="--drivers-sheet",
)
