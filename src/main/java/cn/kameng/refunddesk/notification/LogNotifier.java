package cn.kameng.refunddesk.notification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.Notification;

/** Transport for now: a log line per notification. The platform reads the outbox table itself. */
@Component
class LogNotifier implements Notifier {

    private static final Logger log = LoggerFactory.getLogger("notifications");

    @Override
    public void deliver(Notification n) {
        log.info("to={} dispute={} event={} message={}", n.recipient(), n.disputeId(), n.event(), n.message());
    }
}
