"""A realistic demo area around Stevenage, Hertfordshire. Idempotent: every record has a fixed key
(email or name), and anything already there is left alone."""

from __future__ import annotations

import random
from dataclasses import dataclass

from rich.progress import Progress
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from slivers.accounts import passwords
from slivers.accounts.models import CircleMember, Organisation, OrganisationMember, Person, User, Worker
from slivers.demo.market_seed import PENDING_WORKERS, seed_budget, seed_request, seed_worker_market
from slivers.geo import parse_postcode
from slivers.wiring import Wiring

DEMO_PASSWORD = "stevenage demo password"
DEMO_DOMAIN = "stevenage.example.org"
COUNCIL = "Hertfordshire County Council"
CHARITY = "Stevenage Carers' Breaks"
AGENCY = "North Herts Home Support"

FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kiran",
    "Leah",
    "Mo",
    "Nia",
    "Oscar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Usman",
    "Vera",
    "Wes",
    "Yasmin",
    "Zac",
]
SURNAMES = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Green",
    "Hughes",
    "Khan",
    "Lewis",
    "Patel",
    "Roberts",
    "Smith",
    "Taylor",
    "Walker",
    "Wright",
]
POSTCODES = [
    "SG1 1AA",
    "SG1 2AB",
    "SG1 3DA",
    "SG1 4AA",
    "SG1 5AE",
    "SG2 0AA",
    "SG2 7AA",
    "SG2 8AB",
    "SG2 9AA",
    "SG3 6AA",
    "SG4 0AA",
    "SG4 9AA",
    "SG5 1AA",
    "SG5 2AA",
    "SG6 1AA",
    "SG6 3AA",
    "SG7 5AA",
    "SG8 7AA",
]
TASKS = [
    "companionship",
    "escort",
    "domestic",
    "meal_preparation",
    "personal_care",
    "medication_prompt",
    "moving_handling",
]
NEEDS = [
    "Needs help with lunch and a walk to the shops",
    "Lives with dementia; likes a chat and a cup of tea",
    "Uses a wheelchair; needs help getting up and dressed",
    "Needs reminding to take tablets at noon",
    "Hoist transfers, two people",
    "Visually impaired; needs an escort to appointments",
]


@dataclass
class DemoSummary:
    created: int
    existing: int

    def __str__(self) -> str:
        return (
            f"Demo data ready ({self.created} records created, {self.existing} already there). "
            f"Sign in as coordinator@{DEMO_DOMAIN}, funder@{DEMO_DOMAIN}, carer01@{DEMO_DOMAIN} or "
            f"worker01@{DEMO_DOMAIN} with the password '{DEMO_PASSWORD}'."
        )


async def seed_demo(
    wiring: Wiring, *, workers: int = 50, persons: int = 30, show_progress: bool = True
) -> DemoSummary:
    rng = random.Random(20261125)  # noqa: S311 - demo data, not security
    summary = DemoSummary(created=0, existing=0)
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    async with wiring.unit_of_work() as session:
        seeder = _Seeder(session, password_hash, summary)
        council = await seeder.organisation(COUNCIL, "council")
        charity = await seeder.organisation(CHARITY, "charity")
        agency = await seeder.organisation(AGENCY, "agency")
        coordinator = await seeder.user("coordinator", "Carol Coordinator", "staff")
        await seeder.membership(charity, coordinator, "coordinator")
        agency_coordinator = await seeder.user("agency", "Adam Agency", "staff")
        await seeder.membership(agency, agency_coordinator, "coordinator")
        funder = await seeder.user("funder", "Fiona Funder", "staff")
        await seeder.membership(council, funder, "funder")
        with Progress(disable=not show_progress) as progress:
            task = progress.add_task("Workers and volunteers", total=workers)
            for n in range(1, workers + 1):
                is_volunteer = n % 4 == 0
                name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {SURNAMES[n % len(SURNAMES)]}"
                user = await seeder.user(f"worker{n:02d}", name, "volunteer" if is_volunteer else "worker")
                org = charity if is_volunteer or n % 3 else agency
                worker = await seeder.worker(user, is_volunteer, org, rng)
                vetter = agency_coordinator if org is agency else coordinator
                await seed_worker_market(
                    session, wiring.clock, rng, user, worker, vetter, pending=n > workers - PENDING_WORKERS
                )
                progress.advance(task)
            task = progress.add_task("People, circles, budgets and requests", total=persons)
            for n in range(1, persons + 1):
                carer = await seeder.user(
                    f"carer{n:02d}", f"{FIRST_NAMES[(n + 7) % 25]} {SURNAMES[(n + 3) % 15]}", "carer"
                )
                person = await seeder.person(n, carer, council, rng)
                budget = await seed_budget(session, wiring.clock, person, council, funder)
                if n <= persons // 2:
                    await seed_request(session, wiring.clock, rng, n, carer, person, budget)
                progress.advance(task)
    return summary


class _Seeder:
    def __init__(self, session: AsyncSession, password_hash: str, summary: DemoSummary) -> None:
        self.session = session
        self.password_hash = password_hash
        self.summary = summary

    async def organisation(self, name: str, kind: str) -> Organisation:
        found = await self.session.scalar(select(Organisation).where(Organisation.name == name))
        if found:
            self.summary.existing += 1
            return found
        org = Organisation(name=name, kind=kind)
        self.session.add(org)
        await self.session.flush()
        self.summary.created += 1
        return org

    async def user(self, local: str, name: str, account_type: str) -> User:
        email = f"{local}@{DEMO_DOMAIN}"
        found = await self.session.scalar(select(User).where(User.email == email))
        if found:
            self.summary.existing += 1
            return found
        user = User(
            email=email, password_hash=self.password_hash, display_name=name, account_type=account_type
        )
        self.session.add(user)
        await self.session.flush()
        self.summary.created += 1
        return user

    async def membership(self, org: Organisation, user: User, role: str) -> None:
        found = await self.session.scalar(
            select(OrganisationMember).where(
                OrganisationMember.organisation_id == org.id, OrganisationMember.user_id == user.id
            )
        )
        if found is None:
            self.session.add(OrganisationMember(organisation_id=org.id, user_id=user.id, role=role))
            self.summary.created += 1

    async def worker(self, user: User, is_volunteer: bool, org: Organisation, rng: random.Random) -> Worker:
        found = await self.session.scalar(select(Worker).where(Worker.user_id == user.id))
        if found:
            return found
        offered = ["companionship", "escort"] if is_volunteer else rng.sample(TASKS, k=rng.randint(3, 6))
        worker = Worker(
            user_id=user.id,
            kind="volunteer" if is_volunteer else "paid",
            status="active",
            first_name=user.display_name.split()[0],
            organisation_id=org.id,
            employer_id=org.id if org.kind == "agency" else None,
            self_employed=org.kind != "agency" and not is_volunteer,
            home_postcode=parse_postcode(rng.choice(POSTCODES)).text,
            max_travel_km=rng.choice([5, 8, 10, 15]),
            task_types=offered,
            hourly_rate_pence=None if is_volunteer else rng.choice([1275, 1350, 1450, 1600, 1800]),
            min_notice_minutes=rng.choice([60, 120, 240]),
            instant_book=rng.random() < 0.3,
            attributes={
                "gender": rng.choice(["female", "male"]),
                "languages": ["english"] + (["urdu"] if rng.random() < 0.1 else []),
                "non_smoker": True,
                "pets_ok": rng.random() < 0.7,
            },
        )
        self.session.add(worker)
        await self.session.flush()
        self.summary.created += 1
        return worker

    async def person(self, n: int, carer: User, council: Organisation, rng: random.Random) -> Person:
        found = await self.session.scalar(select(Person).where(Person.created_by_id == carer.id))
        if found:
            self.summary.existing += 1
            return found
        postcode = parse_postcode(rng.choice(POSTCODES)).text
        person = Person(
            display_name=f"{FIRST_NAMES[(n + 13) % 25]} {SURNAMES[(n + 5) % 15]}",
            home_postcode=postcode,
            address=f"{rng.randint(1, 120)} Demo Road, Stevenage {postcode}",
            needs=rng.choice(NEEDS),
            support_notes="Please knock loudly; the bell does not work.",
            household_has_child=n % 7 == 0,
            hard_requirements={"gender": "female"} if n % 5 == 0 else {},
            preferences={},
            funder_id=council.id,
            created_by_id=carer.id,
        )
        self.session.add(person)
        await self.session.flush()
        self.session.add(
            CircleMember(
                person_id=person.id,
                user_id=carer.id,
                can_view=True,
                can_request=True,
                can_approve=True,
                can_manage=True,
            )
        )
        self.summary.created += 1
        return person
