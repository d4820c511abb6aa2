package cn.kameng.refunddesk.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateTask;

import cn.kameng.refunddesk.calendar.WorkingDays;
import cn.kameng.refunddesk.dispute.Dispute;
import cn.kameng.refunddesk.dispute.Money;
import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * How a staff task looks in Tasklist's list: a name built from the dispute ("仲裁 DSP-… · ¥2,500.00 · 卡密无效 ·
 * 截止 12-03 18:00"), a follow-up date halfway to the due date the BPMN set from the SLA, and a priority
 * that rises with the amount at stake and with how long the customer has already waited.
 */
final class TaskPresentation {

    /** Camunda's default priority; every task starts here. */
    static final int BASE_PRIORITY = 50;
    /** Amount tiers in fen (100, 500, 1,000 and 5,000 CNY): each one reached adds {@link #PER_AMOUNT_TIER}. */
    static final long[] AMOUNT_TIERS_FEN = {10_000, 50_000, 100_000, 500_000};
    static final int PER_AMOUNT_TIER = 10;
    /** Each full day since the dispute was opened adds this much, up to {@link #MAX_WAITING_BOOST}. */
    static final int PER_DAY_WAITING = 5;
    static final int MAX_WAITING_BOOST = 30;

    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(WorkingDays.BEIJING);

    private TaskPresentation() {
    }

    static void apply(DelegateTask task, Dispute d, Long amountAtStakeFen, String extra) {
        Instant now = ServiceClock.now();
        Date due = task.getDueDate();
        task.setName(name(task.getName(), d, amountAtStakeFen, extra, due == null ? null : due.toInstant()));
        if (due != null && due.toInstant().isAfter(now)) {
            task.setFollowUpDate(Date.from(followUp(now, due.toInstant())));
        }
        task.setPriority(priority(amountAtStakeFen, d.openedAt(), now));
    }

    static String name(String step, Dispute d, Long amountFen, String extra, Instant due) {
        StringBuilder name = new StringBuilder(step == null ? "" : step).append(' ').append(d.id())
                .append(" · ").append(Money.yuan(amountFen))
                .append(" · ").append(d.reason().label());
        if (extra != null && !extra.isBlank()) {
            name.append(" · ").append(extra);
        }
        if (due != null) {
            name.append(" · 截止 ").append(SHORT.format(due));
        }
        return name.toString();
    }

    /** Halfway from the task's creation to its due date: the moment to look whether it is on track. */
    static Instant followUp(Instant created, Instant due) {
        return created.plus(Duration.between(created, due).dividedBy(2));
    }

    static int priority(Long amountFen, Instant openedAt, Instant now) {
        int priority = BASE_PRIORITY;
        long amount = amountFen == null ? 0 : amountFen;
        for (long tier : AMOUNT_TIERS_FEN) {
            if (amount >= tier) {
                priority += PER_AMOUNT_TIER;
            }
        }
        if (openedAt != null && now.isAfter(openedAt)) {
            long days = Duration.between(openedAt, now).toDays();
            priority += (int) Math.min(MAX_WAITING_BOOST, days * PER_DAY_WAITING);
        }
        return priority;
    }
}
