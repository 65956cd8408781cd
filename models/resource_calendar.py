# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from bisect import bisect_right
from datetime import timedelta
from math import ceil

from pytz import timezone, utc

from odoo import api, models
from odoo.fields import Domain

# the shipped 7×24 calendar (data/resource_calendar_data.xml)
ROUND_THE_CLOCK = "helpdesk_service_agreement.resource_calendar_round_the_clock"
# Working intervals are read in growing windows: a plan that does not fit in
# the first two weeks reads the next four, eight... weeks (about two and a half
# years in all) before it gives up on the calendar.
SLA_WINDOWS = (14, 28, 56, 112, 224, 448)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    @api.depends("name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """Calendars shipped with an English name read in the reader's
        language while they keep it (``name`` is not translatable in
        ``resource``); a calendar renamed by its company shows its own name."""
        result = super()._compute_display_name()
        labels = self._shipped_labels()
        for calendar in self:
            name, label = labels.get(calendar.id, (None, None))
            if name and calendar.name == name:
                calendar.display_name = label
        return result

    @api.model
    def _search_display_name(self, operator, value):
        """A shipped calendar is found by its label in the reader's language
        too (全天候)."""
        domain = super()._search_display_name(operator, value)
        if operator not in ("ilike", "like") or not isinstance(value, str) or not value:
            return domain
        ids = [
            res_id
            for res_id, (_name, label) in self._shipped_labels().items()
            if value.lower() in label.lower()
        ]
        return domain | Domain("id", "in", ids) if ids else domain

    @api.model
    def _shipped_labels(self):
        """``{calendar id: (shipped English name, label in the reader's
        language)}`` of the shipped calendars. No query: the xml ids are
        cached."""
        data = self.env["ir.model.data"]
        labels = {}
        for xmlid, name, label in (
            (
                ROUND_THE_CLOCK,
                "Round the clock (7×24)",
                lambda: self.env._("Round the clock (7×24)"),
            ),
            (
                "resource.resource_calendar_std",
                "Standard 40 hours/week",
                lambda: self.env._("Standard 40 hours/week"),
            ),
        ):
            res_id = data._xmlid_to_res_id(xmlid, raise_if_not_found=False)
            if res_id:
                labels[res_id] = (name, label())
        return labels

    @api.model
    def _round_the_clock_calendar(self):
        """The shipped 7×24 calendar (全天候), if it still exists."""
        return self.env.ref(ROUND_THE_CLOCK, raise_if_not_found=False) or self.browse()

    def _sla_is_round_the_clock(self):
        """Whether the calendar works every hour of every day of the week
        (the shipped 7×24 calendar, or any like it): its clocks run on
        public holidays too."""
        self.ensure_one()
        if self.flexible_hours or self.two_weeks_calendar:
            return False
        covered = {str(day): [] for day in range(7)}
        for attendance in self.attendance_ids:
            if not attendance.display_type and attendance.day_period != "lunch":
                covered[attendance.dayofweek].append(
                    (attendance.hour_from, attendance.hour_to)
                )
        for spans in covered.values():
            reached = 0.0
            for hour_from, hour_to in sorted(spans):
                if hour_from > reached:
                    break
                reached = max(reached, hour_to)
            if reached < 24:
                return False
        return True

    def _sla_has_schedule(self):
        """Whether the calendar has working time at all: a calendar without
        attendances cannot plan a deadline (the ticket's SLA says so instead
        of searching the working time for ever)."""
        self.ensure_one()
        if self.flexible_hours:
            return self.hours_per_day > 0
        return any(
            not attendance.display_type
            and attendance.day_period != "lunch"
            and attendance.hour_to > attendance.hour_from
            for attendance in self.attendance_ids
        )

    def _sla_work_intervals(self, start, stop):
        """Working intervals of the calendar between two naive UTC datetimes,
        as sorted ``(start, stop)`` pairs of naive UTC datetimes. Attendances
        are read in the calendar's time zone; public holidays (global leaves)
        and the calendar's own leaves are taken out, as in
        ``get_work_hours_count(compute_leaves=True)``. A round-the-clock
        calendar keeps working on public holidays (a business interruption
        does not wait for them): only its own leaves are taken out."""
        self.ensure_one()
        if stop <= start:
            return []
        tz = timezone(self.tz or "UTC")
        domain = None
        if self._sla_is_round_the_clock():
            # resource's leave search extends this list with its own terms
            domain = [("time_type", "=", "leave"), ("calendar_id", "=", self.id)]
        intervals = self._work_intervals_batch(
            utc.localize(start),
            utc.localize(stop),
            domain=domain,
            tz=tz,
            compute_leaves=True,
        )[False]
        return [
            (
                begin.astimezone(utc).replace(tzinfo=None),
                end.astimezone(utc).replace(tzinfo=None),
            )
            for begin, end, _meta in intervals
            if end > begin
        ]

    def _sla_plan_hours_batch(self, requests):
        """Plan many working-hour targets on this calendar at once.

        :param requests: list of ``(start, hours)``, naive UTC datetimes and
            working hours (> 0)
        :return: list of naive UTC datetimes (to the second), or ``False``
            where the calendar has no working time to plan the hours in.

        Same result as ``plan_hours(hours, start, compute_leaves=True)`` for
        each request, but the working intervals are read once for the whole
        batch (a couple of queries per calendar, whatever the number of
        requests)."""
        self.ensure_one()
        if not requests:
            return []
        window_start = min(start for start, _hours in requests)
        intervals = []
        window_stop = window_start
        # the first window fits the largest target at the calendar's hours a
        # day, five working days a week (a week at least): most plans read
        # the working time once
        largest = max(hours for _start, hours in requests)
        first = ceil(largest / (self.hours_per_day or 8.0) * 7 / 5) + 3
        windows = iter((max(first, 7), *SLA_WINDOWS))

        def extend():
            nonlocal window_stop
            days = next(windows, None)
            if days is None:
                return False
            new_stop = window_stop + timedelta(days=days)
            intervals.extend(self._sla_work_intervals(window_stop, new_stop))
            window_stop = new_stop
            # a calendar without working time at all is not searched further
            return bool(intervals) or self._sla_has_schedule()

        # enough time for the latest start and the largest target, at least
        latest = max(start for start, _hours in requests)
        if not extend():
            return [False] * len(requests)
        while window_stop <= latest and extend():
            pass

        results = []
        for start, hours in requests:
            result = False
            remaining = hours
            index = bisect_right([stop for _begin, stop in intervals], start)
            while result is False:
                if index >= len(intervals):
                    if not extend():
                        break
                    continue
                begin, stop = intervals[index]
                begin = max(begin, start)
                available = (stop - begin).total_seconds() / 3600
                if remaining <= available:
                    result = begin + timedelta(hours=remaining)
                else:
                    remaining -= available
                    index += 1
            results.append(
                result
                and (result + timedelta(microseconds=500000)).replace(microsecond=0)
            )
        return results

    def _sla_work_hours_batch(self, spans):
        """Working hours between each ``(start, stop)`` pair of naive UTC
        datetimes (0 for an empty or reversed span), like
        ``get_work_hours_count(start, stop, compute_leaves=True)``, with the
        working intervals read once for all the spans."""
        self.ensure_one()
        spans = list(spans)
        valid = [
            (start, stop) for start, stop in spans if start and stop and stop > start
        ]
        if not valid or not self._sla_has_schedule():
            return [0.0] * len(spans)
        intervals = self._sla_work_intervals(
            min(start for start, _stop in valid), max(stop for _start, stop in valid)
        )
        stops = [stop for _begin, stop in intervals]
        results = []
        for start, stop in spans:
            hours = 0.0
            if start and stop and stop > start:
                index = bisect_right(stops, start)
                while index < len(intervals) and intervals[index][0] < stop:
                    begin, end = intervals[index]
                    overlap = (min(end, stop) - max(begin, start)).total_seconds()
                    if overlap > 0:
                        hours += overlap / 3600
                    index += 1
            results.append(hours)
        return results
