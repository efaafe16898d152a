using FuncRegistry.Functions.Storage;
using FuncRegistry.Core.Deadlines;
using FuncRegistry.Functions.Documents;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>Wires the review clock into the app.</summary>
public static class DeadlinesRegistration
{
    /// <summary>Options, calendar, policy, timer index, sweep (and its local loop), reviewer webhooks.</summary>
    public static IServiceCollection AddReviewClock(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<DeadlineOptions>().Bind(config.GetSection("Deadlines"))
            .Validate(o => WebhookProblems(o).Count == 0, "Deadlines:Webhooks: each configured Url must be an absolute http(s) URL with a Secret")
            .ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DeadlineOptions>>().Value;
            var calendar = HolidayCalendarFile.Load(o.CalendarFile);
            // Retention is a documents setting; the review clock's timers carry it out.
            var policy = o.ToPolicy(calendar) with { DocumentRetentionDays = sp.GetRequiredService<IOptions<DocumentsOptions>>().Value.RetentionDays };
            if (policy.Problems() is { Count: > 0 } problems)
                throw new OptionsValidationException("Deadlines", typeof(DeadlineOptions), problems);
            WarnAboutCalendar(calendar, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DeadlinesRegistration)));
            return policy;
        });
        services.AddSingleton<ReviewDeadlines>();
        services.AddSingleton<TimerIndex>();
        services.AddSingleton<TimerSweep>();
        services.AddSingleton<TimerRebuild>();
        services.AddSingleton<ReviewerWebhookClient>();
        services.AddHttpClient(ReviewerWebhookClient.HttpClientName);
        services.AddOptions<HttpClientFactoryOptions>(ReviewerWebhookClient.HttpClientName)
            .Configure<IOptions<DeadlineOptions>>((http, o) => http.HttpClientActions.Add(c => c.Timeout = o.Value.Webhooks.Timeout));
        services.AddHostedService<ReviewClockLoop>();
        return services;
    }

    /// <summary>Maps the review clock's endpoints.</summary>
    public static IEndpointRouteBuilder MapReviewClock(this IEndpointRouteBuilder app)
    {
        app.MapDeadlinesApi();
        return app;
    }

    private static List<string> WebhookProblems(DeadlineOptions o)
    {
        var problems = new List<string>();
        foreach (var (name, target) in o.Webhooks.Cities.Select(c => ($"Cities:{c.Key}", c.Value)).Prepend(("Province", o.Webhooks.Province)))
        {
            if (string.IsNullOrWhiteSpace(target.Url)) continue;
            if (!Uri.TryCreate(target.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) problems.Add($"{name}: Url");
            if (string.IsNullOrEmpty(target.Secret)) problems.Add($"{name}: Secret");
        }
        return problems;
    }

    /// <summary>A due date on a year without its holidays is wrong by days: say so at start.</summary>
    private static void WarnAboutCalendar(WorkingCalendar calendar, TimeProvider clock, ILogger logger)
    {
        var year = BeijingTime.DateOf(clock.GetUtcNow()).Year;
        foreach (var y in new[] { year, year + 1 })
        {
            if (calendar.YearOf(y) is not { } configured)
                logger.LogWarning("Working-day calendar has no holidays for {Year}: only weekends are skipped; add the year to the calendar file", y);
            else if (configured.Provisional)
                logger.LogWarning("Working-day calendar for {Year} is provisional ({Source}); confirm it against the State Council's notice", y, configured.Source);
        }
    }
}
