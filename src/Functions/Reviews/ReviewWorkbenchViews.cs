using System.Text.Json.Serialization;
using FuncRegistry.Core.Applications;

namespace FuncRegistry.Functions.Reviews;

/// <summary>
/// One application in a reviewer's queue. <c>HolderName</c> masked unless the caller may see it;
/// <c>CityCode</c> is the certificate's city, <c>ReviewCityCode</c> the city whose reviewers handle the
/// city stage (they differ for a transfer to another city); due time and overdue as of now;
/// <c>Escalated</c>: a late city stage reported to the province.
/// </summary>
public sealed record ReviewQueueItemView(
    string Id, ApplicationKind Kind, string KindText, string CertificateNumber, ApplicationStatus Status, string StatusText, ReviewStage Stage,
    string HolderName, string CityCode, string? CityName, string ReviewCityCode, string? ReviewCityName,
    DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset StatusSince, int Round,
    DateOnly? DueOn, DateTimeOffset? DueAt, bool Overdue, int? RemainingWorkingDays, bool Escalated);

/// <summary>A page of a reviewer's queue; <c>Next</c> is the cursor of the next page, null (written, not left out) on the last.</summary>
public sealed record ReviewQueuePageView(IReadOnlyList<ReviewQueueItemView> Items, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

/// <summary>The body of POST /api/reviews/search: the holder's ID number, in the body so that no URL carries it.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ReviewSearchRequest(string? IdNumber);

/// <summary>How many applications stand in one status.</summary>
public sealed record StatusCountView(ApplicationStatus Status, string StatusText, int Count);

/// <summary>
/// One city's counts: per status (every status a submitted application can be in, zeros included),
/// what in the caller's queue from that city is past due, and its late city stages reported to the province.
/// </summary>
public sealed record CityCountView(string CityCode, string? CityName, int Total, IReadOnlyList<StatusCountView> ByStatus, int Overdue, int Escalated);

/// <summary>
/// The counts of a reviewer's workbench (工作台) for the caller's scope — a city's reviewers: the
/// applications their city handles; the province: all, per city. <c>Overdue</c> counts what the queue
/// (<c>GET /api/reviews/pending?overdue=true</c>) lists as past due, <c>Escalated</c> the late city stages
/// (<c>?escalated=true</c>). A submitted application is counted in the city whose reviewers handle it now,
/// else its own.
/// </summary>
public sealed record ReviewSummaryView(ReviewStage Scope, string? CityCode, int Total, IReadOnlyList<StatusCountView> ByStatus,
    IReadOnlyList<CityCountView> ByCity, int Overdue, int Escalated, DateTimeOffset AsOf);
