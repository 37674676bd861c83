# bash completion for sperrips
_sperrips()
{
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "record replay show rootfs keygen serve --recording --replaying --help --version" -- "$cur"))
		return
	fi
	case $prev in
	-o|--output|-i|--input|--stdout|--stderr|--stdin-file|--upper|--work|-c)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--sign|--key)
		COMPREPLY=($(compgen -f -X '!*.key' -- "$cur")); return ;;
	--verify|--server|--allow)
		COMPREPLY=($(compgen -f -X '!*.pub' -- "$cur")); return ;;
	--workdir|--rootfs|--store|--out)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--policy)
		COMPREPLY=($(compgen -W "lax strict" -f -- "$cur")); return ;;
	--suite)
		COMPREPLY=($(compgen -W "bullseye bookworm" -- "$cur")); return ;;
	esac
	# --color=WHEN: bash splits the word at "=" (COMP_WORDBREAKS) unless told not to
	if [ "$cur" = "=" ] && [ "$prev" = --color ]; then
		COMPREPLY=(auto never always); return
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ] && [ "${COMP_WORDS[COMP_CWORD-2]}" = --color ]; then
		COMPREPLY=($(compgen -W "auto never always" -- "$cur")); return
	elif [[ $cur == --color=* ]]; then
		COMPREPLY=($(compgen -P --color= -W "auto never always" -- "${cur#--color=}")); return
	fi
	local opts
	case $cmd in
	record) opts="-o --output --job --stdin --stdin-hex --stdin-file --stdout --stderr --workdir --env --aslr --no-pin --exit-status --map-bytes --file-digests --store --compress --no-compress --sign --to --key --server --fail-on-different -v --verbose --rootfs --upper --work --keep-upper --net=none --net-raw --cap --seccomp -h --help --" ;;
	replay) opts="-i --input -o --output --policy --stdout --stderr --workdir --aslr --no-pin --store --verify -v --verbose --color= --rootfs --upper --work --keep-upper --net=none --net-raw --cap --seccomp -h --help" ;;
	show) opts="--json -s --strsize -f -e -c --summary --verify --color= -h --help" ;;
	keygen) opts="-h --help" ;;
	serve) opts="--listen --key --allow --out --timeout --max-sessions --policy --no-pin -v --verbose --rootfs --upper --work --keep-upper --net=none --net-raw --cap --seccomp -h --help" ;;
	rootfs) opts="--suite --include --mirror -h --help" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [ "$cmd" = record ] && [[ " ${COMP_WORDS[*]} " == *" -- "* ]]; then
		COMPREPLY=($(compgen -c -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _sperrips sperrips
