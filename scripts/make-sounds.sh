#!/bin/sh
# Regenerates Atende's own prompts in sounds/ from text, with espeak-ng and sox
# (Debian: apt-get install espeak-ng sox). Output: 8 kHz, 16-bit, mono PCM WAV, the format
# Asterisk plays without transcoding to slin and that `{kind:'file'}` media expects.
# The WAVs are committed; run this only to change a prompt's text or add one.
set -eu

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
out="$root/sounds"
voice=${ATENDE_TTS_VOICE:-pt-br}

command -v espeak-ng >/dev/null || { echo "espeak-ng not found" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox not found" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# speak <lang-dir> <name> <text>
speak() {
  mkdir -p "$out/$1"
  espeak-ng -v "$voice" -s 150 -w "$tmp/$2.raw.wav" "$3"
  # Resample to telephone rate, mono, 16-bit; normalise to -3 dBFS; 150 ms of silence at
  # each end so the first syllable is not clipped while the media path settles.
  sox "$tmp/$2.raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out/$1/$2.wav" \
    gain -n -3 pad 0.15 0.15
  echo "wrote sounds/$1/$2.wav"
}

# tone <lang-dir> <name> <sox synth arguments…>: a signal rather than speech, same format.
tone() {
  dir=$1
  name=$2
  shift 2
  mkdir -p "$out/$dir"
  sox -n -r 8000 -c 1 -b 16 -e signed-integer "$out/$dir/$name.wav" "$@"
  echo "wrote sounds/$dir/$name.wav"
}

speak pt-BR atende-welcome "Obrigado por ligar. Esta central está em configuração. Até logo."

# Menus (URA)
speak pt-BR atende-invalid-option "Opção inválida."
speak pt-BR atende-timeout "Nenhuma opção foi digitada."
speak pt-BR atende-tries-exceeded "Número de tentativas excedido. Até logo."
speak pt-BR atende-closed "No momento estamos fechados. Por favor, ligue novamente em nosso horário de atendimento."
speak pt-BR atende-goodbye "Obrigado pela ligação. Até logo."
speak pt-BR atende-please-hold "Por favor, aguarde. Sua ligação será atendida em instantes."

# Queues: position and expected wait ("Você é o" 3 "da fila"; "O tempo estimado de espera é de" 2 "minutos")
speak pt-BR atende-queue-position "Você é o"
speak pt-BR atende-queue-position-end "da fila."
speak pt-BR atende-queue-wait "O tempo estimado de espera é de"
speak pt-BR atende-minute "minuto."
speak pt-BR atende-minutes "minutos."
speak pt-BR atende-queue-less-than-a-minute "menos de um minuto."

# Dialer: an answered call with no free agent
speak pt-BR atende-dialer-drop "Desculpe, no momento todos os nossos atendentes estão ocupados. Retornaremos a sua ligação. Obrigado."

# Satisfaction survey
speak pt-BR atende-survey-intro "Por favor, permaneça na linha e avalie o nosso atendimento."
speak pt-BR atende-survey-invalid "Resposta inválida."
speak pt-BR atende-survey-thanks "Obrigado pela sua avaliação. Até logo."

# Voicemail
speak pt-BR atende-voicemail-greeting "Deixe a sua mensagem após o sinal. Ao terminar, tecle sustenido ou desligue."
speak pt-BR atende-voicemail-saved "Sua mensagem foi gravada. Obrigado."
speak pt-BR atende-voicemail-full "A caixa postal está cheia. Não é possível deixar mensagens."

# Conferences
speak pt-BR atende-conference-pin "Digite a senha da conferência, seguida de sustenido."
speak pt-BR atende-conference-pin-invalid "Senha incorreta."
speak pt-BR atende-conference-full "A conferência está lotada."

# Numbers, read as "duzentos e quarenta e cinco": 0–20, tens, hundreds, "cento", "e"
n=0
for word in zero um dois três quatro cinco seis sete oito nove dez onze doze treze quatorze quinze dezesseis dezessete dezoito dezenove vinte; do
  speak pt-BR "atende-num-$n" "$word"
  n=$((n + 1))
done
set -- 30 trinta 40 quarenta 50 cinquenta 60 sessenta 70 setenta 80 oitenta 90 noventa 100 cem \
  200 duzentos 300 trezentos 400 quatrocentos 500 quinhentos 600 seiscentos 700 setecentos 800 oitocentos 900 novecentos
while [ $# -gt 0 ]; do
  speak pt-BR "atende-num-$1" "$2"
  shift 2
done
speak pt-BR atende-num-cento "cento"
speak pt-BR atende-num-and "e"

# Signals: the beep before a recording, conference join/leave, and the tone that replaces a
# prompt whose file is missing (the three rising notes of the special information tone).
tone pt-BR atende-beep synth 0.3 sine 1000 gain -6
tone pt-BR atende-conference-join synth 0.15 sine 600 gain -8 : synth 0.15 sine 900 gain -8
tone pt-BR atende-conference-leave synth 0.15 sine 900 gain -8 : synth 0.15 sine 600 gain -8
tone pt-BR atende-fallback-tone synth 0.33 sine 950 gain -8 : synth 0.33 sine 1400 gain -8 : synth 0.33 sine 1800 gain -8
