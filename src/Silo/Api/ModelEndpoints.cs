using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Silo.Decisions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EdgeMigrate.Silo.Api;

/// <summary><c>/api/model</c>: the handover model predictive fleets use; swapped at run time by uploading a model file.</summary>
public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModel(this RouteGroupBuilder api)
    {
        api.MapGet("/model", Get);
        api.MapPut("/model", ReplaceAsync);
        return api;
    }

    public static Results<Ok<HandoverModelInfo>, ProblemHttpResult> Get(HandoverModelHolder models) => models.Current is { } model
        ? TypedResults.Ok(HandoverModelInfo.Of(model))
        : ApiProblems.NotFound("no handover model is loaded: start the silo with --model FILE or PUT one to /api/model");

    public static async Task<Results<Ok<HandoverModelInfo>, ProblemHttpResult>> ReplaceAsync(HttpRequest request, HandoverModelHolder models)
    {
        // The body is the model file itself (application/zip); it is read whole, so a broken upload changes nothing.
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        body.Position = 0;
        try
        {
            return TypedResults.Ok(HandoverModelInfo.Of(models.Load(body, $"upload {request.HttpContext.TraceIdentifier}")));
        }
        catch (HandoverModelException ex)
        {
            return ApiProblems.Unprocessable(ex.Message, "The model was refused; the current one stays");
        }
    }
}
