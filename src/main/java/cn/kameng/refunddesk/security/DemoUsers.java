package cn.kameng.refunddesk.security;

import java.util.List;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.Caller;

/** The demo users of the default profile only, all with the demo password. */
@Component
@Profile("default")
class DemoUsers {

    record Demo(String id, String firstName, String lastName, String group) {
    }

    static final List<Demo> USERS = List.of(
            new Demo("buyer1", "买家", "一", Caller.CUSTOMERS),
            new Demo("buyer2", "买家", "二", Caller.CUSTOMERS),
            new Demo("merchant1", "商家", "一", Caller.MERCHANTS),
            new Demo("merchant2", "商家", "二", Caller.MERCHANTS),
            new Demo("reviewer1", "审核员", "一", Caller.REVIEWERS),
            new Demo("arbiter1", "仲裁员", "一", Caller.ARBITERS),
            new Demo("arbiter2", "仲裁员", "二", Caller.ARBITERS),
            new Demo("senior1", "高级仲裁员", "一", Caller.SENIOR_ARBITERS),
            new Demo("complaints1", "投诉处理", "一", Caller.COMPLAINTS),
            new Demo("finance1", "财务", "一", Caller.FINANCE),
            new Demo("ops1", "运维", "一", Caller.OPERATIONS),
            new Demo("owner1", "流程负责人", "一", Caller.PROCESS_OWNERS),
            new Demo("admin", "管理员", "Admin", Caller.ADMINS));

    private final IdentityService identity;
    private final String password;

    DemoUsers(IdentityService identity, @Value("${dispute.demo.password}") String password) {
        this.identity = identity;
        this.password = password;
    }

    @EventListener(ApplicationStartedEvent.class)
    @Order(2)
    public void create() {
        if (identity.isReadOnly()) {
            // staff come from the company directory (dispute.security.ldap): no demo user can be written there
            org.slf4j.LoggerFactory.getLogger(DemoUsers.class)
                    .info("The identity service is read-only (LDAP): no demo users are created");
            return;
        }
        for (Demo demo : USERS) {
            if (identity.createUserQuery().userId(demo.id()).count() == 0) {
                User user = identity.newUser(demo.id());
                user.setFirstName(demo.firstName());
                user.setLastName(demo.lastName());
                user.setEmail(demo.id() + "@demo.kameng.invalid");
                user.setPassword(password);
                identity.saveUser(user);
                identity.createMembership(demo.id(), demo.group());
            }
        }
    }
}
