package cn.kameng.refunddesk.dispute;

import java.math.BigDecimal;
import java.text.DecimalFormat;

/** Amounts are integer fen everywhere; this only formats them for people (¥2,500.00). */
public final class Money {

    private Money() {
    }

    public static String yuan(Long fen) {
        if (fen == null) {
            return "-";
        }
        return "¥" + new DecimalFormat("#,##0.00").format(BigDecimal.valueOf(fen, 2));
    }
}
