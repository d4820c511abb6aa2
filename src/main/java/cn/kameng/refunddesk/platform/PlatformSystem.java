package cn.kameng.refunddesk.platform;

/** The platform's systems we call, each behind its own circuit breaker and health indicator. */
enum PlatformSystem {
    ORDERS("platformOrders", "the platform's order system"),
    /** Counts over the order system (abuse flags, scorecards): its own breaker, so they never stop an order lookup. */
    ORDER_STATISTICS("platformOrderStatistics", "the platform's order statistics"),
    CARD_KEYS("platformCardKeys", "the supplier's card-key records"),
    CHAT("platformChat", "the platform chat log"),
    BALANCE("platformBalance", "the platform balance");

    private final String healthName;
    private final String words;

    PlatformSystem(String healthName, String words) {
        this.healthName = healthName;
        this.words = words;
    }

    /** The component's name under /actuator/health, and the breaker's name. */
    String healthName() {
        return healthName;
    }

    String words() {
        return words;
    }
}
