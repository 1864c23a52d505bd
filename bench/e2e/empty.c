/* empty.c - the C side of bench/e2e.sh's start-up floor: a program that does nothing. */
int main(void)
{
	return 0;
}
