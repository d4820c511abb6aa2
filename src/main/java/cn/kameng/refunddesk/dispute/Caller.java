package cn.kameng.refunddesk.dispute;

import java.util.Set;

/** The signed-in user of a request, with their Camunda groups. */
public record Caller(String userId, Set<String> groups) {

    public static final String CUSTOMERS = "customers";
    public static final String MERCHANTS = "merchants";
    public static final String REVIEWERS = "reviewers";
    public static final String ARBITERS = "arbiters";
    public static final String SENIOR_ARBITERS = "senior-arbiters";
    public static final String COMPLAINTS = "complaints";
    public static final String FINANCE = "finance";
    public static final String OPERATIONS = "operations";
    public static final String PROCESS_OWNERS = "process-owners";
    public static final String ADMINS = "camunda-admin";

    public static final Set<String> STAFF = Set.of(REVIEWERS, ARBITERS, SENIOR_ARBITERS, COMPLAINTS, FINANCE,
            OPERATIONS, PROCESS_OWNERS, ADMINS);

    public boolean in(String group) {
        return groups.contains(group);
    }

    public boolean isStaff() {
        return groups.stream().anyMatch(STAFF::contains);
    }
}
