using FuncRegistry.Core.Certificates;
using FuncRegistry.Core.Applications;
using FuncRegistry.Core.Documents;
using static FuncRegistry.Core.Applications.ApplicationStatus;
using static FuncRegistry.Core.Tests.DeciderTableTests.Outcome;

namespace FuncRegistry.Core.Tests;

/// <summary>
/// Every cell of the command × status table in the doc comment of <see cref="ApplicationDecider"/>,
/// each command given by the actor entitled to it (the filer, the city's reviewer, a province reviewer),
/// each status reached by the shortest history decided by those same reviewers.
/// </summary>
public class DeciderTableTests
{
    public enum Command { Create, Edit, Delete, Submit, Confirm, Withdraw, ApproveAtCity, ReturnAtCity, ApproveAtProvince, ReturnAtProvince, AttachDocument, RemoveDocument }

    /// <summary>✓ accepted, = repeat (no events), ✗ refused with 409, 404 not found.</summary>
    public enum Outcome { Accepted, Unchanged, Conflict, NotFound }

    private static readonly ApplicationStatus[] Columns = [None, Draft, PendingCityReview, CityReturned, PendingProvinceReview, ProvinceReturned, Approved, Withdrawn, PendingConfirmation, UnderPublicNotice];

    // The table, as in the doc comment:   none      draft      pendCity   cityRet    pendProv   provRet    approved   withdrawn  pendConf   underNotice
    private static readonly Dictionary<Command, Outcome[]> Table = new()
    {
        [Command.Create]            = [Accepted, Conflict,  Conflict,  Conflict,  Conflict,  Conflict,  Conflict,  Conflict, Conflict, Conflict],
        [Command.Edit]              = [NotFound, Accepted,  Conflict,  Accepted,  Conflict,  Accepted,  Conflict,  Conflict, Conflict, Conflict],
        [Command.Delete]            = [NotFound, Accepted,  Conflict,  Conflict,  Conflict,  Conflict,  Conflict,  Conflict, Conflict, Conflict],
        [Command.Submit]            = [NotFound, Accepted,  Unchanged, Accepted,  Conflict,  Accepted,  Conflict,  Conflict, Unchanged, Conflict],
        [Command.Confirm]           = [NotFound, Conflict,  Conflict,  Conflict,  Conflict,  Conflict,  Conflict,  Conflict,  Accepted, Conflict],
        [Command.Withdraw]          = [NotFound, Conflict,  Accepted,  Accepted,  Accepted,  Accepted,  Conflict,  Unchanged, Accepted, Accepted],
        [Command.ApproveAtCity]     = [NotFound, NotFound,  Accepted,  Conflict,  Unchanged, Conflict,  Conflict,  Conflict, Conflict, Conflict],
        [Command.ReturnAtCity]      = [NotFound, NotFound,  Accepted,  Unchanged, Conflict,  Conflict,  Conflict,  Conflict, Conflict, Conflict],
        [Command.ApproveAtProvince] = [NotFound, NotFound,  Conflict,  Conflict,  Accepted,  Conflict,  Unchanged, Conflict, Conflict, Unchanged],
        [Command.ReturnAtProvince]  = [NotFound, NotFound,  Conflict,  Conflict,  Accepted,  Unchanged, Conflict,  Conflict, Conflict, Conflict],
        [Command.AttachDocument]    = [NotFound, Accepted,  Conflict,  Accepted,  Conflict,  Accepted,  Conflict,  Conflict, Conflict, Conflict],
        [Command.RemoveDocument]    = [NotFound, Accepted,  Conflict,  Accepted,  Conflict,  Accepted,  Conflict,  Conflict, Conflict, Conflict],
    };

    public static TheoryData<Command, ApplicationStatus, Outcome> Cells()
    {
        var cells = new TheoryData<Command, ApplicationStatus, Outcome>();
        foreach (var (command, row) in Table)
            for (var i = 0; i < Columns.Length; i++)
                cells.Add(command, Columns[i], row[i]);
        return cells;
    }

    [Fact]
    public void Table_has_every_command_and_every_status()
    {
        Assert.Equal(Enum.GetValues<Command>().Length, Table.Count);
        Assert.Equal(Enum.GetValues<ApplicationStatus>(), Columns);
        Assert.All(Table.Values, row => Assert.Equal(Columns.Length, row.Length));
        Assert.Equal(12 * 10, Cells().Count);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Command_in_status_is_decided_as_the_table_says(Command command, ApplicationStatus status, Outcome expected)
    {
        // Every history carries one document attached to the draft, so there is one to remove.
        var state = ApplicationState.From(History.WithDocument(History.LeadingTo(status)));
        Assert.Equal(status, state.Status);

        var decision = ApplicationDecider.Decide(Make(command), state);

        switch (expected)
        {
            case Accepted:
                Assert.Null(decision.Refusal);
                var e = Assert.Single(decision.Events);
                Assert.IsType(EventOf(command), e);
                var after = ApplicationState.Evolve(state, e);
                Assert.Equal(command is Command.Edit or Command.AttachDocument or Command.RemoveDocument ? status : StatusAfter(command), after.Status);
                break;
            case Unchanged:
                Assert.Null(decision.Refusal);
                Assert.Empty(decision.Events);
                break;
            case Conflict:
                Assert.Empty(decision.Events);
                Assert.Equal(RefusalKind.Conflict, decision.Refusal?.Kind);
                break;
            case NotFound:
                Assert.Empty(decision.Events);
                Assert.Equal(RefusalKind.NotFound, decision.Refusal?.Kind);
                Assert.Equal("application_not_found", decision.Refusal?.Code);
                break;
        }
    }

    /// <summary>The command as its entitled actor gives it; repeats of the history's own decisions where the table has '='.</summary>
    private static ApplicationCommand Make(Command command) => command switch
    {
        Command.Create => new ApplicationCommand.Create(TestData.ApplicationNumber, ApplicationKind.Cancellation, TestData.ValidCertificate,
            TestData.CancellationDetails, ExtensionWindow.Default, TestData.Applicant, TestData.Now),
        // Different details from the history's, so an accepted edit has something to record.
        Command.Edit => new ApplicationCommand.Edit(TestData.CancellationDetails with { NotificationPhone = "13900001111" },
            TestData.ValidCertificate, TestData.Applicant, TestData.Now),
        Command.Delete => new ApplicationCommand.Delete(TestData.Applicant, TestData.Now),
        Command.Submit => new ApplicationCommand.Submit(TestData.ValidCertificate, DocumentPolicy.Default, ExtensionWindow.Default, TestData.Applicant, TestData.Now, TestData.ReviewOnly,
            CommitmentVersion: TestData.Accepted()),
        Command.Withdraw => new ApplicationCommand.Withdraw(TestData.Applicant, TestData.Now),
        // The applicant's cancellation is confirmed by the employer.
        Command.Confirm => new ApplicationCommand.Confirm(true, TestData.Enterprise, TestData.Now),
        Command.ApproveAtCity => new ApplicationCommand.ApproveAtCity(TestData.CityReviewer, TestData.Now),
        Command.ReturnAtCity => new ApplicationCommand.ReturnAtCity(TestData.ReturnReason, TestData.CityReviewer, TestData.Now),
        Command.ApproveAtProvince => new ApplicationCommand.ApproveAtProvince(TestData.ProvinceReviewer, TestData.Now),
        Command.ReturnAtProvince => new ApplicationCommand.ReturnAtProvince(TestData.ReturnReason, TestData.ProvinceReviewer, TestData.Now),
        Command.AttachDocument => new ApplicationCommand.AttachDocument(History.Upload(DocumentType.IdCardBack, "doc-2"), DocumentPolicy.Default, TestData.Applicant, TestData.Now),
        Command.RemoveDocument => new ApplicationCommand.RemoveDocument(History.DocumentId, TestData.Applicant, TestData.Now),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    private static Type EventOf(Command command) => command switch
    {
        Command.Create => typeof(ApplicationEvent.Created),
        Command.Edit => typeof(ApplicationEvent.Edited),
        Command.Delete => typeof(ApplicationEvent.Deleted),
        Command.Submit => typeof(ApplicationEvent.Submitted),
        Command.Withdraw => typeof(ApplicationEvent.Withdrawn),
        Command.Confirm => typeof(ApplicationEvent.ConfirmationGiven),
        Command.ApproveAtCity => typeof(ApplicationEvent.CityReviewApproved),
        Command.ReturnAtCity => typeof(ApplicationEvent.CityReviewReturned),
        Command.ApproveAtProvince => typeof(ApplicationEvent.ProvinceReviewApproved),
        Command.AttachDocument => typeof(ApplicationEvent.DocumentAttached),
        Command.RemoveDocument => typeof(ApplicationEvent.DocumentRemoved),
        _ => typeof(ApplicationEvent.ProvinceReviewReturned),
    };

    /// <summary>Where the workflow diagram of DOMAIN.md leads (a deleted draft no longer exists).</summary>
    private static ApplicationStatus StatusAfter(Command command) => command switch
    {
        Command.Create => Draft,
        Command.Delete => None,
        Command.Submit => PendingCityReview,
        Command.Withdraw => Withdrawn,
        Command.Confirm => PendingCityReview,
        Command.ApproveAtCity => PendingProvinceReview,
        Command.ReturnAtCity => CityReturned,
        Command.ApproveAtProvince => Approved,
        Command.ReturnAtProvince => ProvinceReturned,
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };
}
