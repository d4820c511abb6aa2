package cn.kameng.refunddesk.calendar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import cn.kameng.refunddesk.dispute.ServiceClock;

/**
 * The one place that knows what a working day is: the official Chinese calendar in Beijing time
 * (weekends, public holidays, make-up working days), loaded from the years built into the service
 * ({@code classpath:calendar/}) and from files operations drop into {@code dispute.calendar.directory}.
 * A year with no data is never guessed silently: it is counted Monday to Friday, a warning is logged,
 * and {@link #isOfficial} tells the caller so that the deadline can be marked.
 */
@Component
public class WorkingDays {

    public static final ZoneId BEIJING = ServiceClock.BEIJING;
    private static final Logger log = LoggerFactory.getLogger(WorkingDays.class);
    /** Far enough for any SLA; a count that needs more is a configuration mistake, not a date. */
    private static final int MAX_DAYS = 366 * 3;

    private final CalendarProperties properties;
    private final Set<Integer> warnedYears = ConcurrentHashMap.newKeySet();
    private final List<Consumer<OfficialCalendar>> reloadListeners = new CopyOnWriteArrayList<>();
    private volatile OfficialCalendar calendar;
    private volatile Map<Path, Long> seenFiles = Map.of();

    WorkingDays(CalendarProperties properties) {
        this.properties = properties;
        this.calendar = load(true);
    }

    /** The built-in years only, for tests and tools that need no configuration. */
    public static WorkingDays builtIn() {
        return new WorkingDays(new CalendarProperties(Path.of("does-not-exist"), java.time.Duration.ofHours(1),
                java.time.Duration.ofDays(30)));
    }

    public boolean isWorkingDay(LocalDate day) {
        OfficialCalendar current = calendar;
        if (!current.knows(day.getYear()) && warnedYears.add(day.getYear())) {
            log.warn("No official calendar for {}: its days are counted Monday to Friday until operations add "
                    + "cn-official-calendar-{}.csv to {}", day.getYear(), day.getYear(), properties.directory().toAbsolutePath());
        }
        return current.isWorkingDay(day);
    }

    /** Whether an instant falls in working time: on a working day in Beijing (SLAs count whole working days). */
    public boolean isWorkingTime(Instant instant) {
        return isWorkingDay(instant.atZone(BEIJING).toLocalDate());
    }

    /**
     * The instant N working days after {@code start}: the same time of day on the Nth working day.
     * A start on a non-working day counts from the start of the next working day.
     */
    public Instant plusWorkingDays(Instant start, int days) {
        if (days < 0) {
            throw new IllegalArgumentException("cannot count " + days + " working days");
        }
        ZonedDateTime at = start.atZone(BEIJING);
        if (!isWorkingDay(at.toLocalDate())) {
            at = nextWorkingDay(at.toLocalDate()).atStartOfDay(BEIJING);
        }
        LocalDate day = at.toLocalDate();
        for (int counted = 0; counted < days; counted++) {
            day = nextWorkingDay(day);
        }
        return ZonedDateTime.of(day, at.toLocalTime(), BEIJING).toInstant();
    }

    /**
     * The whole working days from {@code from} to {@code to}: the largest n with
     * {@code plusWorkingDays(from, n) <= to}; negative when {@code to} is before {@code from}.
     */
    public int workingDaysBetween(Instant from, Instant to) {
        if (to.isBefore(from)) {
            return -workingDaysBetween(to, from);
        }
        int n = 0;
        while (n < MAX_DAYS && !plusWorkingDays(from, n + 1).isAfter(to)) {
            n++;
        }
        return n;
    }

    /** Whether every day from {@code from} to {@code to} (Beijing dates) is in a year the official calendar has. */
    public boolean isOfficial(Instant from, Instant to) {
        OfficialCalendar current = calendar;
        for (int year = from.atZone(BEIJING).getYear(); year <= to.atZone(BEIJING).getYear(); year++) {
            if (!current.knows(year)) {
                return false;
            }
        }
        return true;
    }

    OfficialCalendar calendar() {
        return calendar;
    }

    /** Runs {@code listener} after every reload of the calendar (a year added, corrected or removed). */
    public void afterReload(Runnable listener) {
        onReload(calendar -> listener.run());
    }

    void onReload(Consumer<OfficialCalendar> listener) {
        reloadListeners.add(listener);
    }

    /** Reads the directory again when a file there was added, changed or removed. */
    @Scheduled(fixedDelayString = "${dispute.calendar.rescan-interval}", initialDelayString = "${dispute.calendar.rescan-interval}")
    public void rescan() {
        if (!directoryListing().equals(seenFiles)) {
            reload();
        }
    }

    /** Loads the calendar again; a file with a mistake is refused (and shown in health), the rest is used. */
    public synchronized void reload() {
        OfficialCalendar loaded = load(false);
        OfficialCalendar before = calendar;
        calendar = loaded;
        warnedYears.removeIf(loaded::knows);
        if (!loaded.years().keySet().equals(before.years().keySet())) {
            log.info("Official calendar now has the years {} (was {})", loaded.years().keySet(), before.years().keySet());
        }
        reloadListeners.forEach(listener -> listener.accept(loaded));
    }

    private OfficialCalendar load(boolean atStartUp) {
        Map<Integer, CalendarYear> years = new HashMap<>();
        List<String> rejected = new ArrayList<>();
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:calendar/cn-official-calendar-*.csv")) {
                String text = resource.getContentAsString(StandardCharsets.UTF_8);
                CalendarYear year = CalendarYear.parse(resource.getFilename(), "classpath:calendar/" + resource.getFilename(), text);
                years.put(year.year(), year);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the built-in official calendar cannot be read", e);
        }
        Map<Path, Long> listing = directoryListing();
        for (Path file : listing.keySet()) {
            try {
                CalendarYear year = CalendarYear.parse(file.getFileName().toString(), file.toString(),
                        Files.readString(file, StandardCharsets.UTF_8));
                years.put(year.year(), year);
            } catch (IOException | IllegalArgumentException e) {
                String problem = e instanceof IOException ? "calendar file " + file + ": unreadable: " + e.getMessage() : e.getMessage();
                if (atStartUp) {
                    throw new IllegalStateException(problem + " (fix or remove the file; dispute.calendar.directory="
                            + properties.directory().toAbsolutePath() + ")", e);
                }
                log.error("{}; the file is ignored and the calendar keeps its other years", problem);
                rejected.add(problem);
            }
        }
        seenFiles = listing;
        return new OfficialCalendar(years, rejected);
    }

    private Map<Path, Long> directoryListing() {
        Path directory = properties.directory();
        if (!Files.isDirectory(directory)) {
            return Map.of();
        }
        Map<Path, Long> listing = new HashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(f -> f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv") && Files.isRegularFile(f))
                    .forEach(f -> listing.put(f, lastModified(f)));
        } catch (IOException e) {
            log.error("Cannot list the calendar directory {}: {}", directory.toAbsolutePath(), e.getMessage());
        }
        return listing;
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis() ^ Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private LocalDate nextWorkingDay(LocalDate day) {
        LocalDate next = day.plusDays(1);
        for (int i = 0; !isWorkingDay(next); i++) {
            if (i > MAX_DAYS) {
                throw new IllegalStateException("no working day within " + MAX_DAYS + " days after " + day);
            }
            next = next.plusDays(1);
        }
        return next;
    }
}
