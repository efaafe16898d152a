using FuncRegistry.Core.Deadlines;

namespace FuncRegistry.Functions.Deadlines;

/// <summary>The review clock (办理时限). Bound from the <c>Deadlines</c> section.</summary>
public sealed class DeadlineOptions
{
    /// <summary>Working days of the city stage.</summary>
    public int CityWorkingDays { get; set; } = 5;

    /// <summary>Working days of the province stage.</summary>
    public int ProvinceWorkingDays { get; set; } = 10;

    /// <summary>Working days of the whole application (行政许可法 Art. 42: 20).</summary>
    public int TotalWorkingDays { get; set; } = 20;

    /// <summary>Working days one extension adds (Art. 42: 10).</summary>
    public int ExtensionWorkingDays { get; set; } = 10;

    /// <summary>How many working days before a stage falls due its reviewers are reminded (0 = no such reminder).</summary>
    public int ReminderLeadWorkingDays { get; set; } = 1;

    /// <summary>A city stage overdue by more than this many working days is escalated to the province.</summary>
    public int EscalateAfterWorkingDays { get; set; } = 2;

    /// <summary>Days a returned application may wait for resubmission before it is withdrawn (0 = never withdrawn by the system).</summary>
    public int ResubmitWithinDays { get; set; } = 30;

    /// <summary>A calendar JSON file replacing the built-in mainland-China one (empty = built in).</summary>
    public string CalendarFile { get; set; } = "";

    /// <summary>Run the sweep from the app's own background loop (locally). False in Azure, where the ReviewClock timer trigger calls it.</summary>
    public bool RunSweeper { get; set; } = true;

    /// <summary>Time between two sweeps of the background loop.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest wait after repeated failed sweeps (the wait doubles from <see cref="SweepInterval"/>).</summary>
    public TimeSpan MaxSweepBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Timers one sweep fires at once.</summary>
    public int SweepParallelism { get; set; } = 4;

    /// <summary>Where reviewers are notified.</summary>
    public ReviewerWebhookOptions Webhooks { get; set; } = new();

    /// <summary>The domain policy these settings describe.</summary>
    public DeadlinePolicy ToPolicy(WorkingCalendar calendar) => new(calendar, CityWorkingDays, ProvinceWorkingDays, TotalWorkingDays,
        ExtensionWorkingDays, ReminderLeadWorkingDays, EscalateAfterWorkingDays, ResubmitWithinDays);
}

/// <summary>Reviewer webhook targets: one for the province, one per city (keyed by the city's code, e.g. 620100).</summary>
public sealed class ReviewerWebhookOptions
{
    /// <summary>The province reviewers' endpoint: province-stage reminders and escalations.</summary>
    public WebhookTarget Province { get; set; } = new();

    /// <summary>Each city's reviewers' endpoint: city-stage reminders.</summary>
    public Dictionary<string, WebhookTarget> Cities { get; set; } = [];

    /// <summary>How long one delivery may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>One webhook endpoint and the secret its requests are signed with.</summary>
public sealed class WebhookTarget
{
    /// <summary>Absolute http(s) URL; empty = not configured (the notice is only recorded on the application).</summary>
    public string Url { get; set; } = "";

    /// <summary>HMAC-SHA256 key shared with the receiver.</summary>
    public string Secret { get; set; } = "";
}
