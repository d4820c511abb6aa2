package cn.kameng.refunddesk.security;

import static org.camunda.bpm.engine.authorization.Authorization.ANY;
import static org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.task.TaskQuery;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.Caller;

/**
 * The groups of the dispute desk, what each may do in the Camunda webapps, and one Tasklist filter
 * per staff group shared with that group. Idempotent: runs at every start and adds only what is missing.
 */
@Component
class IdentitySetup {

    record Role(String id, String name) {
    }

    static final List<Role> ROLES = List.of(
            new Role(Caller.CUSTOMERS, "买家 Customers"),
            new Role(Caller.MERCHANTS, "商家 Merchants"),
            new Role(Caller.REVIEWERS, "审核 Reviewers"),
            new Role(Caller.ARBITERS, "仲裁 Arbiters"),
            new Role(Caller.SENIOR_ARBITERS, "高级仲裁 Senior arbiters"),
            new Role(Caller.COMPLAINTS, "投诉处理 Complaint handlers"),
            new Role(Caller.FINANCE, "财务 Finance"),
            new Role(Caller.OPERATIONS, "运维 Operations"),
            new Role(Caller.PROCESS_OWNERS, "流程负责人 Process owners"),
            new Role(Caller.ADMINS, "管理员 Administrators"));

    /** The Tasklist filter each staff group sees: name → candidate group. */
    static final Map<String, String> FILTERS = new LinkedHashMap<>();

    static {
        FILTERS.put("我的审核 Reviews", Caller.REVIEWERS);
        FILTERS.put("仲裁队列 Arbitration queue", Caller.ARBITERS);
        FILTERS.put("四眼审批 Four-eyes approvals", Caller.SENIOR_ARBITERS);
        FILTERS.put("外部投诉 External complaints", Caller.COMPLAINTS);
    }

    /** Finance's refunds that did not arrive in time or in full (refund-dispute.bpmn's resolveRefundException). */
    static final String FILTER_REFUND_EXCEPTIONS = "退款异常 Refund exceptions";
    /** Finance's recovery of what the fund paid first (先行赔付), receivable-recovery.bpmn's recoverReceivable. */
    static final String FILTER_RECEIVABLE_RECOVERY = "应收追偿 Receivable recovery";

    /** Complaint tasks whose channel deadline is less than 24 hours away (or past), for the complaints group. */
    static final String FILTER_COMPLAINTS_DUE_24H = "24小时内到期投诉 Complaints due within 24 h";
    /** Appeals of rulings (appeal.bpmn's decideAppeal), for the arbiters; the arbiter who ruled does not see theirs. */
    static final String FILTER_APPEALS = "申诉 Appeals";
    /** Every task past its due date, in whatever queue of the user's groups; shared with every staff group. */
    static final String FILTER_OVERDUE = "已逾期 Overdue";
    static final List<String> STAFF = List.of(Caller.REVIEWERS, Caller.ARBITERS, Caller.SENIOR_ARBITERS,
            Caller.COMPLAINTS, Caller.FINANCE);

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IdentitySetup.class);

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final FilterService filters;
    private final TaskService tasks;

    IdentitySetup(IdentityService identity, AuthorizationService authorizations, FilterService filters,
            TaskService tasks) {
        this.identity = identity;
        this.authorizations = authorizations;
        this.filters = filters;
        this.tasks = tasks;
    }

    @EventListener(ApplicationStartedEvent.class)
    @Order(1)
    public void setUp() {
        for (Role role : ROLES) {
            if (identity.isReadOnly()) {
                // the company directory (LDAP) holds the groups; the service only says which it misses
                if (identity.createGroupQuery().groupId(role.id()).count() == 0) {
                    log.warn("The directory has no group '{}' ({}): nobody can act as one", role.id(), role.name());
                }
            } else if (identity.createGroupQuery().groupId(role.id()).count() == 0) {
                Group group = identity.newGroup(role.id());
                group.setName(role.name());
                group.setType("WORKFLOW");
                identity.saveGroup(group);
            }
        }
        for (Resources resource : Resources.values()) {
            grant(Caller.ADMINS, resource, ANY, Permissions.ALL);
        }
        for (String staff : STAFF) {
            grant(staff, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
            grant(staff, Resources.PROCESS_DEFINITION, ANY, Permissions.READ);
            grant(staff, Resources.DECISION_DEFINITION, ANY, Permissions.READ);
        }
        // Operations read, retry and suspend; they do not change variables (UPDATE / UPDATE_VARIABLE) or instances.
        exactly(Caller.OPERATIONS, Resources.PROCESS_DEFINITION, ProcessDefinitionPermissions.READ, ProcessDefinitionPermissions.READ_INSTANCE,
                ProcessDefinitionPermissions.READ_HISTORY, ProcessDefinitionPermissions.READ_INSTANCE_VARIABLE,
                ProcessDefinitionPermissions.READ_HISTORY_VARIABLE, ProcessDefinitionPermissions.READ_TASK_VARIABLE,
                ProcessDefinitionPermissions.RETRY_JOB, ProcessDefinitionPermissions.SUSPEND,
                ProcessDefinitionPermissions.SUSPEND_INSTANCE);
        exactly(Caller.OPERATIONS, Resources.PROCESS_INSTANCE, ProcessInstancePermissions.READ, ProcessInstancePermissions.RETRY_JOB,
                ProcessInstancePermissions.SUSPEND);
        grant(Caller.PROCESS_OWNERS, Resources.PROCESS_DEFINITION, ANY, Permissions.ALL);
        grant(Caller.PROCESS_OWNERS, Resources.PROCESS_INSTANCE, ANY, Permissions.ALL);
        for (String ops : List.of(Caller.OPERATIONS, Caller.PROCESS_OWNERS)) {
            grant(ops, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
            grant(ops, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
            grant(ops, Resources.TASK, ANY, Permissions.READ);
            grant(ops, Resources.DECISION_DEFINITION, ANY, Permissions.ALL);
            grant(ops, Resources.DECISION_REQUIREMENTS_DEFINITION, ANY, Permissions.ALL);
            grant(ops, Resources.BATCH, ANY, Permissions.ALL);
            grant(ops, Resources.HISTORIC_PROCESS_INSTANCE, ANY, Permissions.ALL);
            grant(ops, Resources.HISTORIC_TASK, ANY, Permissions.ALL);
        }
        grant(Caller.OPERATIONS, Resources.DEPLOYMENT, ANY, Permissions.READ);
        grant(Caller.PROCESS_OWNERS, Resources.DEPLOYMENT, ANY, Permissions.ALL);
        int order = 10;
        for (Map.Entry<String, String> queue : FILTERS.entrySet()) {
            // includeAssignedTasks: a task someone claimed stays in the group's queue
            filter(queue.getKey(), "Tasks for the " + queue.getValue() + " group", order++,
                    tasks.createTaskQuery().taskCandidateGroup(queue.getValue()).includeAssignedTasks()
                            .orderByDueDate().asc(),
                    List.of(queue.getValue()));
        }
        // finance has two kinds of task, each in a queue of its own (an older start's 退款异常 showed both)
        filter(FILTER_REFUND_EXCEPTIONS, "Refunds that did not arrive in time or in full", order++,
                tasks.createTaskQuery().taskCandidateGroup(Caller.FINANCE)
                        .taskDefinitionKey(cn.kameng.refunddesk.process.ProcessIds.Task.RESOLVE_REFUND_EXCEPTION)
                        .includeAssignedTasks().orderByDueDate().asc(),
                List.of(Caller.FINANCE));
        filter(FILTER_RECEIVABLE_RECOVERY, "What the compensation fund paid first, to recover from the merchant", order++,
                tasks.createTaskQuery().taskCandidateGroup(Caller.FINANCE)
                        .taskDefinitionKey(cn.kameng.refunddesk.process.ProcessIds.Task.RECOVER_RECEIVABLE)
                        .includeAssignedTasks().orderByDueDate().asc(),
                List.of(Caller.FINANCE));
        filter(FILTER_COMPLAINTS_DUE_24H, "Complaints whose channel deadline is within 24 hours", order++,
                tasks.createTaskQuery().taskCandidateGroup(Caller.COMPLAINTS).includeAssignedTasks()
                        .dueBeforeExpression("${dateTime().plusHours(24).toDate()}").orderByDueDate().asc(),
                List.of(Caller.COMPLAINTS));
        filter(FILTER_APPEALS, "Appeals of rulings, for an arbiter other than the one who ruled", order++,
                tasks.createTaskQuery().taskCandidateGroup(Caller.ARBITERS)
                        .taskDefinitionKey(cn.kameng.refunddesk.process.ProcessIds.Task.DECIDE_APPEAL)
                        .includeAssignedTasks().orderByDueDate().asc(),
                List.of(Caller.ARBITERS));
        // ${currentUserGroups()}: each user sees the overdue tasks of their own groups only
        filter(FILTER_OVERDUE, "Overdue tasks of your groups", order,
                tasks.createTaskQuery().taskCandidateGroupInExpression("${currentUserGroups()}").includeAssignedTasks()
                        .dueBeforeExpression("${now()}").orderByDueDate().asc(),
                STAFF);
    }

    private void filter(String name, String description, int order, TaskQuery query, List<String> groups) {
        Filter filter = filters.createFilterQuery().filterName(name).singleResult();
        if (filter == null) {
            filter = filters.newTaskFilter(name);
            filter.setOwner(null);
        }
        filter.setQuery(query);
        filter.setProperties(Map.of("description", description, "priority", order, "refresh", true));
        filters.saveFilter(filter);
        for (String group : groups) {
            grant(group, Resources.FILTER, filter.getId(), Permissions.READ);
        }
    }

    /** The group's grant on every resource of a type is exactly these permissions (narrowed where an older start gave more). */
    private void exactly(String group, Resource resource, Permission... permissions) {
        List<Authorization> existing = authorizations.createAuthorizationQuery().groupIdIn(group)
                .resourceType(resource).resourceId(ANY).list();
        Authorization a = existing.isEmpty() ? authorizations.createNewAuthorization(AUTH_TYPE_GRANT) : existing.get(0);
        if (existing.isEmpty()) {
            a.setGroupId(group);
            a.setResource(resource);
            a.setResourceId(ANY);
        }
        a.setPermissions(permissions);
        authorizations.saveAuthorization(a);
        existing.stream().skip(1).forEach(extra -> authorizations.deleteAuthorization(extra.getId()));
    }

    private void grant(String group, Resource resource, String resourceId, Permission permission) {
        boolean present = authorizations.createAuthorizationQuery().groupIdIn(group)
                .resourceType(resource).resourceId(resourceId).hasPermission(permission).count() > 0;
        if (!present) {
            Authorization a = authorizations.createNewAuthorization(AUTH_TYPE_GRANT);
            a.setGroupId(group);
            a.setResource(resource);
            a.setResourceId(resourceId);
            a.addPermission(permission);
            authorizations.saveAuthorization(a);
        }
    }
}
