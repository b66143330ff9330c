using Wafer.Protocol.V1;

namespace Wafer.Runtime.Agent;

/// <summary>What the agent does with each message it receives: refuse it, or carry out the command and answer.</summary>
public sealed partial class RuntimeAgent
{
    private async Task HandleAsync(string topic, byte[] payload, string? signature, CancellationToken cancellationToken)
    {
        if (payload.Length == 0)
        {
            return; // a retained message being cleared: not a protocol message
        }

        Envelope message;
        try
        {
            message = MessageCodec.Decode(topic, payload);
        }
        catch (ProtocolException ex)
        {
            MessageRefused(_logger, topic, ex.Message);
            await PublishEventAsync(MessageTypes.Error, new ErrorBody(ex.MessageId, topic, ex.Message));
            return;
        }

        if (_guard.Check(topic, message, payload, signature) is { } refusal)
        {
            MessageRefused(_logger, topic, refusal);
            await PublishEventAsync(MessageTypes.Error, new ErrorBody(message.Id, topic, refusal));
            return;
        }

        switch (message.Body)
        {
            case OrchestratorStatusBody status:
                var seen = Interlocked.Exchange(ref _lastOrchestratorStatusId, message.Id);
                if (status.State == OrchestratorStatusBody.Online && seen != message.Id)
                {
                    if (status.Signed && _keys is null)
                    {
                        FleetTokenMissing(_logger, status.Url);
                    }

                    OrchestratorOnline(_logger, status.Url);
                    await AnnounceAsync();
                }

                break;
            case CreateModuleBody create:
                await CreateModuleAsync(message.Id, create, cancellationToken);
                break;
            case DeleteModuleBody delete:
                _programs.Stop(delete.ModuleId);
                await _modules.DeleteAsync(delete.ModuleId, cancellationToken);
                await PublishEventAsync(MessageTypes.ModuleDeleted, new ModuleDeletedBody(message.Id, delete.ModuleId));
                break;
            case DrainBody:
                _draining = true;
                Draining(_logger);
                await PublishStatusAsync();
                break;
            case ShutdownBody shutdown:
                ShuttingDown(_logger, shutdown.Reason);
                _stopping = true;
                await GoOfflineAsync();
                _lifetime.StopApplication();
                break;
        }
    }

    private async Task CreateModuleAsync(string requestId, CreateModuleBody create, CancellationToken cancellationToken)
    {
        CreateOutcome outcome;
        var unchanged = _modules.IsRunning(create.ModuleId, create.Hash);
        if (_draining && !_modules.IsRunning(create.ModuleId, create.Hash))
        {
            outcome = new CreateOutcome("runtime is draining and accepts no new modules", []);
        }
        else
        {
            outcome = await _modules.CreateAsync(create, cancellationToken);
        }

        foreach (var displaced in outcome.Displaced)
        {
            _programs.Stop(displaced);
            await PublishEventAsync(MessageTypes.ModuleDeleted, new ModuleDeletedBody(requestId, displaced));
        }

        await PublishEventAsync(outcome.Failure is null ? MessageTypes.ModuleRunning : MessageTypes.ModuleFailed, outcome.Failure is null
            ? new ModuleRunningBody(requestId, create.ModuleId, create.Plugin, create.Hash.ToLowerInvariant())
            : new ModuleFailedBody(requestId, create.ModuleId, outcome.Failure));
        if (outcome.Failure is null && create.Program is { } program && !unchanged)
        {
            // A program module runs as soon as it is loaded (the same command again leaves its run alone).
            _programs.Start(create.ModuleId, create.Plugin, program, ProgramReports(create.ModuleId));
        }
    }
}
