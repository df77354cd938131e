"""办件 — the case spine (design.md §5): application, intake, review, conclusion, delivery.

Map for the pages built on top (apply stepper, window intake, work queue, 我的办件):

models.py       Case (+ number, clock fields, decision, delivery, fee, visits, `version` for optimistic
                locking), CaseMaterial, CaseEvent (append-only), ReviewTask, Suspension, Extension, Visit,
                InstantAuthorisation, CaseNumberCounter, CaseNotice (issued notices, one per step).
transitions.py  The table: action → source states → target → actor capacities. allowed_actions(state, roles)
                tells a page which buttons to show (access.actor_roles(user, case) gives the roles).
services.py     One function per action, all keyword-only, each taking `expected_version` (the version the
                form was loaded with; a stale one is refused with 409):
                  case_save_draft (create: item=…; update: case=…), case_material_add, case_submit,
                  case_request_correction, case_resubmit, case_decline, case_accept, case_accept_and_conclude,
                  case_supplement, case_start_review, case_review, case_return_to_applicant, case_suspend,
                  case_resume, case_extend, case_conclude, case_pay, case_deliver, case_withdraw, case_void,
                  instant_authorisation_grant, case_recompute_deadlines; acting_as_of (demo/imports).
                Refusals are ApplicationError subclasses (exceptions.py): 400 invalid, 403 capacity,
                404 invisible, 409 state/stale — render `.message` (and `.fields`) in forms.
selectors.py    case_list(user, filters), work_queue(user), overdue_list(user), case_get_for_user(user, ref)
                (ref = number, or UUID for drafts), case_timeline, case_public_progress, deadline_warnings.
clock.py        status(case) → total/used/left working days and colour (green, yellow ≥ 80 %, red overdue).
notices.py      available_notices(case), notice_issue(case, kind) (the stored CaseNotice of the step, issued
                in the background on commit by tasks.notice_issue_task, or on first download), render_notice_pdf,
                result_document(case) (the decision notice: what electronic delivery hands over), notice_check.
registries.py   Extension points: material providers, intake checks, after-transition handlers, payment.
api/            /api/v1/cases/… (list, create, detail, timeline, materials, notices, one POST per action).
"""
