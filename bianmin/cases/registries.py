"""Extension points of the case spine (design.md §3). Apps built on top fill them in AppConfig.ready().

- Material providers: offer a held material (an e-licence) instead of an upload.
      register_material_provider(provider)   # provider.name, provider.offers(...), provider.resolve(...)
- Intake checks: may forbid tolerant (容缺) acceptance or commitments (告知承诺) for an applicant; they
  never refuse a case by themselves.
      register_intake_check(fn)              # fn(case) -> IntakeVerdict
- Payment provider: charges a case's fee and returns the electronic receipt number (非税收入电子票据);
  a fake one is registered in development, a real one replaces it.
      register_payment_provider(provider)    # provider.name, provider.charge(case=, amount=) -> PaymentReceipt
- After-transition handlers: side effects after a transition commits (issue a licence on approval,
  invite a rating, link a queue ticket, notify the applicant). Called with transaction.on_commit
  (robust: an error is logged, never undoes the transition).
      register_after_transition(fn)          # fn(TransitionDone)
- Case results: electronic results issued for a case (e-licences) that electronic delivery points to.
      register_result_provider(fn)           # fn(case) -> list[CaseResult]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bianmin.cases.constants import TrustLevel


@dataclass(frozen=True)
class MaterialOffer:
    """A held material the applicant may give instead of an upload."""

    provider: str
    ref: str
    label: str
    trust_level: str = TrustLevel.A


class MaterialProvider(Protocol):
    name: str

    def offers(self, *, case, material, user) -> list[MaterialOffer]:
        """Held materials of the case's applicant that satisfy `material` (a catalog Material)."""

    def resolve(self, *, case, material, user, ref: str) -> MaterialOffer | None:
        """The offer behind `ref` if it still satisfies `material` for this applicant, else None."""


@dataclass(frozen=True)
class IntakeVerdict:
    forbid_tolerant: bool = False
    forbid_commitment: bool = False
    reason: str = ""


@dataclass(frozen=True)
class TransitionDone:
    case_id: Any
    number: str | None
    action: str
    state_from: str
    state_to: str
    event_id: int
    actor_id: int | None
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentReceipt:
    receipt_no: str
    provider: str


class PaymentProvider(Protocol):
    name: str

    def charge(self, *, case, amount) -> PaymentReceipt:
        """Collect `amount` for the case; raise an ApplicationError when the payment fails."""


class FakePaymentProvider:
    """Development and tests: every payment succeeds with a receipt number derived from the case."""

    name = "fake"

    def charge(self, *, case, amount) -> PaymentReceipt:
        return PaymentReceipt(receipt_no=f"FAKE-{case.number}", provider=self.name)


IntakeCheck = Callable[[Any], IntakeVerdict]
AfterTransition = Callable[[TransitionDone], None]

_material_providers: dict[str, MaterialProvider] = {}
_intake_checks: list[IntakeCheck] = []
_after_transition: list[AfterTransition] = []
_payment_providers: list[PaymentProvider] = [FakePaymentProvider()]


def register_material_provider(provider: MaterialProvider) -> MaterialProvider:
    _material_providers[provider.name] = provider
    return provider


def unregister_material_provider(name: str) -> None:
    _material_providers.pop(name, None)


def material_provider(name: str) -> MaterialProvider | None:
    return _material_providers.get(name)


def material_providers() -> list[MaterialProvider]:
    return list(_material_providers.values())


def register_intake_check(fn: IntakeCheck) -> IntakeCheck:
    if fn not in _intake_checks:
        _intake_checks.append(fn)
    return fn


def unregister_intake_check(fn: IntakeCheck) -> None:
    if fn in _intake_checks:
        _intake_checks.remove(fn)


def intake_verdicts(case) -> list[IntakeVerdict]:
    return [fn(case) for fn in list(_intake_checks)]


def register_after_transition(fn: AfterTransition) -> AfterTransition:
    if fn not in _after_transition:
        _after_transition.append(fn)
    return fn


def unregister_after_transition(fn: AfterTransition) -> None:
    if fn in _after_transition:
        _after_transition.remove(fn)


def after_transition_handlers() -> list[AfterTransition]:
    return list(_after_transition)


def register_payment_provider(provider: PaymentProvider) -> PaymentProvider:
    """The last registered provider is used."""
    _payment_providers.append(provider)
    return provider


def unregister_payment_provider(provider: PaymentProvider) -> None:
    if provider in _payment_providers and len(_payment_providers) > 1:
        _payment_providers.remove(provider)


def payment_provider() -> PaymentProvider:
    return _payment_providers[-1]


@dataclass(frozen=True)
class CaseResult:
    """An electronic result of a case (an e-licence) that its electronic delivery points to."""

    provider: str
    ref: str
    label: str
    url: str


CaseResultProvider = Callable[[Any], list[CaseResult]]
_result_providers: list[CaseResultProvider] = []


def register_result_provider(fn: CaseResultProvider) -> CaseResultProvider:
    """fn(case) -> list[CaseResult]: results issued for the case (licences register one)."""
    if fn not in _result_providers:
        _result_providers.append(fn)
    return fn


def unregister_result_provider(fn: CaseResultProvider) -> None:
    if fn in _result_providers:
        _result_providers.remove(fn)


def case_results(case) -> list[CaseResult]:
    results: list[CaseResult] = []
    for fn in list(_result_providers):
        results.extend(fn(case))
    return results
