package cn.kameng.refunddesk.notification;

import cn.kameng.refunddesk.dispute.Notification;

/** Port: how a notification reaches a party (the platform's message centre, SMS, ...). */
public interface Notifier {
    void deliver(Notification notification);
}
