package cn.kameng.refunddesk.dispute;

/** Amounts are integer fen everywhere; this only formats them for people (¥2,500.00). */
public final class Money {

    private Money() {
    }

    /**
     * ¥ with thousands separators and two decimals, e.g. 250000 → ¥2,500.00. Written out rather than
     * through DecimalFormat: a new DecimalFormat per call showed up in the profile of opening a dispute
     * (every timeline line and view formats amounts), and a shared one is not thread-safe.
     */
    public static String yuan(Long fen) {
        if (fen == null) {
            return "-";
        }
        long value = fen;
        StringBuilder text = new StringBuilder("¥");
        if (value < 0) {
            text.append('-');
        }
        String digits = Long.toString(Math.abs(value / 100)); // divide first: Long.MIN_VALUE has no absolute value
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                text.append(',');
            }
            text.append(digits.charAt(i));
        }
        long cents = Math.abs(value % 100);
        return text.append('.').append(cents < 10 ? "0" : "").append(cents).toString();
    }
}
