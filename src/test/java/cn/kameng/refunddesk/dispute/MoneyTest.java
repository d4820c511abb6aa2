package cn.kameng.refunddesk.dispute;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

/** Amounts shown to people: yuan with thousands separators and two decimals, as DecimalFormat writes them. */
class MoneyTest {

    private static String reference(long fen) {
        return "¥" + new DecimalFormat("#,##0.00").format(BigDecimal.valueOf(fen, 2));
    }

    @Test
    void amountsReadAsPeopleWriteThem() {
        assertThat(Money.yuan(250000L)).isEqualTo("¥2,500.00");
        assertThat(Money.yuan(2500L)).isEqualTo("¥25.00");
        assertThat(Money.yuan(5L)).isEqualTo("¥0.05");
        assertThat(Money.yuan(0L)).isEqualTo("¥0.00");
        assertThat(Money.yuan(123456789L)).isEqualTo("¥1,234,567.89");
        assertThat(Money.yuan(-2401L)).isEqualTo("¥-24.01");
        assertThat(Money.yuan(null)).isEqualTo("-");
    }

    @Test
    void everyAmountIsWrittenExactlyAsDecimalFormatWouldWriteIt() {
        Random random = new Random(20261201);
        LongStream.concat(LongStream.rangeClosed(-1_100, 1_100),
                LongStream.of(99_999, 100_000, 999_999, 1_000_000, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1))
                .forEach(fen -> assertThat(Money.yuan(fen)).as("%d fen", fen).isEqualTo(reference(fen)));
        random.longs(20_000).forEach(fen -> assertThat(Money.yuan(fen)).as("%d fen", fen).isEqualTo(reference(fen)));
    }
}
